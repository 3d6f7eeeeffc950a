/**
 * `ttm predict merge`: joins the forecast CSVs of the shards of a `ttm predict --all --shard K/N`
 * run into the file the unsharded run writes, byte for byte. The unsharded file lists the series
 * in the dataset's order (produto, then regiao, numerically), each series' weeks in order; the
 * merge keeps each series' rows together as they were written and puts the series back in that
 * order, whatever the order of the files. It refuses shards with different columns (another
 * model, --interval or --horizon) and a series present twice (the same shard given twice, or
 * shards of different splits).
 */
import { DataError } from '../errors.js';

export interface ForecastPart {
  /** file name, for error messages */
  name: string;
  text: string;
}

interface Block {
  produto: number;
  regiao: number;
  where: string;
  lines: string[];
}

/** The merged CSV text (header, then every series' rows in dataset order, final newline). */
export function mergeForecastCsv(parts: readonly ForecastPart[]): string {
  if (parts.length === 0) throw new DataError('no forecast file to merge', { hint: 'pass the CSV files the shards wrote' });
  const header = headerOf(parts[0]);
  const ip = header.split(',').indexOf('produto_cat');
  const ir = header.split(',').indexOf('uf_cat');
  const width = header.split(',').length;
  const blocks: Block[] = [];
  const seen = new Map<string, string>();
  for (const part of parts) {
    const h = headerOf(part);
    if (h !== header) {
      throw new DataError(`${part.name}:1: columns differ from ${parts[0].name}:1 ("${h}" vs "${header}")`, {
        hint: 'merge shards of one run: same model, --interval and --horizon',
      });
    }
    const lines = bodyOf(part.text);
    let block: Block | undefined;
    lines.forEach((line, k) => {
      const where = `${part.name}:${k + 2}`;
      const f = line.split(',');
      if (f.length !== width) throw new DataError(`${where}: ${f.length} fields, the header has ${width}`, { hint: 'the file is truncated or not a ttm forecast CSV' });
      const produto = Number(f[ip]);
      const regiao = Number(f[ir]);
      if (!Number.isFinite(produto) || !Number.isFinite(regiao)) throw new DataError(`${where}: produto_cat "${f[ip]}" / uf_cat "${f[ir]}" are not numbers`);
      if (!block || block.produto !== produto || block.regiao !== regiao) {
        const id = `${produto}:${regiao}`;
        const before = seen.get(id);
        if (before) throw new DataError(`${where}: series produto ${produto} regiao ${regiao} is already in ${before}`, { hint: 'pass each shard once, all from one split (same N)' });
        seen.set(id, where);
        block = { produto, regiao, where, lines: [] };
        blocks.push(block);
      }
      block.lines.push(line);
    });
  }
  blocks.sort((a, b) => a.produto - b.produto || a.regiao - b.regiao);
  return `${[header, ...blocks.flatMap((b) => b.lines)].join('\n')}\n`;
}

function headerOf(part: ForecastPart): string {
  const nl = part.text.indexOf('\n');
  const first = nl < 0 ? part.text : part.text.slice(0, nl);
  if (first.trimStart().startsWith('{')) throw new DataError(`${part.name}: a JSON document; merge reads the CSV that --all writes`, { hint: 'run the shards with --format csv (the default of --all)' });
  const cols = first.split(',');
  if (!cols.includes('produto_cat') || !cols.includes('uf_cat') || cols[0] !== 'date') {
    throw new DataError(`${part.name}:1: not a ttm forecast CSV (header "${first.slice(0, 80)}")`, { hint: 'pass files written by ttm predict --all' });
  }
  return first;
}

function bodyOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.slice(1);
}
