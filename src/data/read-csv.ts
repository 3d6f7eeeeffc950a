/**
 * Streaming reader of the sales CSV (`date, produto_cat, uf_cat, vendas, faturamento`).
 * csv-parse does the parsing; this file checks the header and every field and yields one typed
 * row at a time, so a 10-million-row file never sits in memory. Every failure is a DataError
 * that names `file:line:column`.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import type { CastingContext, Options } from 'csv-parse';
import { DataError } from '../errors.js';
import { parseDay } from './weeks.js';

/** The columns the file must have (others are ignored), in the design's order. */
export const REQUIRED_COLUMNS = ['date', 'produto_cat', 'uf_cat', 'vendas', 'faturamento'] as const;

/** One data row. `produto` and `regiao` are the file's `produto_cat` and `uf_cat` as written. */
export interface CsvRow {
  line: number;
  day: number;
  produto: number;
  regiao: number;
  vendas: number;
  faturamento: number;
}

type Where = (line: number, col?: number) => string;

/** Yields the rows of `file` in file order; throws DataError on the first bad line. */
export async function* readRows(file: string): AsyncGenerator<CsvRow> {
  await checkStart(file);
  const at: Where = (line, col) => `${file}:${line}${col === undefined ? '' : `:${col}`}`;
  // on_record tags each record with its line; csv-parse types it as returning the record type.
  const tagLine = (fields: string[], ctx: CastingContext) => ({ fields, line: ctx.lines });
  const options: Options = { bom: true, skip_empty_lines: true, on_record: tagLine as unknown as Options['on_record'] };
  const parser = createReadStream(file).pipe(parse(options));
  let index: number[] | undefined;
  let header: string[] = [];
  let dayCache = new Map<string, number>();
  try {
    for await (const rec of parser as AsyncIterable<{ fields: string[]; line: number }>) {
      const { fields, line } = rec;
      if (index === undefined) {
        header = fields.map((f) => f.trim());
        index = headerIndex(header, at(line));
        continue;
      }
      checkLineEnding(fields, at, line);
      const dateText = fields[index[0]];
      if (dateText === header[index[0]]) {
        throw new DataError(`${at(line, 1)}: the header line appears again`, {
          hint: 'the file looks like several exports pasted together; keep one header line at the top',
        });
      }
      let day = dayCache.get(dateText);
      if (day === undefined) {
        day = parseDay(dateText.trim());
        if (day === undefined) {
          throw new DataError(`${at(line, index[0] + 1)}: column "date": "${dateText}" is not a date (expected YYYY-MM-DD)`, {
            hint: 'export dates as ISO YYYY-MM-DD, e.g. 2024-03-04',
          });
        }
        if (dayCache.size > 100_000) dayCache = new Map();
        dayCache.set(dateText, day);
      }
      yield {
        line,
        day,
        produto: integerField(fields, index[1], 'produto_cat', at, line),
        regiao: integerField(fields, index[2], 'uf_cat', at, line),
        vendas: numberField(fields, index[3], 'vendas', at, line),
        faturamento: numberField(fields, index[4], 'faturamento', at, line),
      };
    }
  } catch (err) {
    if (err instanceof CsvError) throw fromCsvError(err, file);
    throw err;
  } finally {
    parser.destroy();
  }
  if (index === undefined) throw new DataError(`${file}: the file has no header line`, { hint: `the first line must be: ${REQUIRED_COLUMNS.join(',')}` });
}

/** Empty files, missing files and UTF-16 text fail before parsing starts. */
async function checkStart(file: string): Promise<void> {
  let head: Buffer;
  try {
    const fh = await fs.open(file, 'r');
    try {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(4), 0, 4, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new DataError(`${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, {
      hint: 'check the path given to --data',
      cause: err,
    });
  }
  if (head.length === 0) throw new DataError(`${file}:1:1: the file is empty`, { hint: `the first line must be: ${REQUIRED_COLUMNS.join(',')}` });
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new DataError(`${file}:1:1: the file starts with a UTF-16 byte-order mark`, { hint: 'save the file as UTF-8 (a UTF-8 BOM is fine)' });
  }
}

/** Positions of the required columns in the header; checks delimiter and duplicate names. */
function headerIndex(header: string[], where: string): number[] {
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new DataError(`${where}:${i + 1}: column "${name}" appears twice in the header (columns ${first + 1} and ${i + 1})`, {
        hint: 'remove or rename one of the two columns',
      });
    }
    seen.set(name, i);
  });
  if (header.length === 1) {
    const delim = [';', '\t', '|'].find((d) => header[0].includes(d));
    if (delim !== undefined) {
      throw new DataError(`${where}:1: the header has one column "${header[0]}": the file is delimited by ${JSON.stringify(delim)}, expected ","`, {
        hint: 'export the CSV with commas as separators (and dots as decimal marks)',
      });
    }
  }
  return REQUIRED_COLUMNS.map((name) => {
    const i = seen.get(name);
    if (i === undefined) {
      throw new DataError(`${where}: column "${name}" not found (has: ${header.join(', ')})`, {
        hint: `the header must contain ${REQUIRED_COLUMNS.join(',')}`,
      });
    }
    return i;
  });
}

/** A stray carriage return at the end of a row means the file mixes CRLF and LF line endings. */
function checkLineEnding(fields: string[], at: Where, line: number): void {
  const last = fields[fields.length - 1];
  if (last.endsWith('\r')) {
    throw new DataError(`${at(line, fields.length)}: the line ends in CRLF but earlier lines end in LF`, {
      hint: 'use one kind of line ending throughout the file (CRLF or LF)',
    });
  }
}

function numberField(fields: string[], i: number, name: string, at: Where, line: number): number {
  const text = fields[i];
  const x = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(x)) {
    throw new DataError(`${at(line, i + 1)}: column "${name}": "${text}" is not a number`, {
      hint: 'use plain numbers with a dot as decimal mark (1234.56), no thousands separators or currency symbols',
    });
  }
  return x;
}

function integerField(fields: string[], i: number, name: string, at: Where, line: number): number {
  const x = numberField(fields, i, name, at, line);
  if (!Number.isInteger(x)) {
    throw new DataError(`${at(line, i + 1)}: column "${name}": "${fields[i]}" is not an integer code`, {
      hint: `${name} holds integer category codes`,
    });
  }
  return x;
}

function fromCsvError(err: CsvError, file: string): DataError {
  const line = (err as CsvError & { lines?: number }).lines;
  const where = line === undefined ? file : `${file}:${line}`;
  const hint =
    err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
      ? 'every line needs as many fields as the header: check the delimiter, stray commas, and mixed CRLF/LF line endings'
      : 'check quoting near that line';
  return new DataError(`${where}: ${err.message}`, { hint, cause: err });
}
