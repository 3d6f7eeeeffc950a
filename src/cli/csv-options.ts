/** The flags that say how a sales CSV is written (pt-BR Excel: `;`, decimal comma, own column names). */
import type { Command } from 'commander';

export function addCsvOptions(cmd: Command): Command {
  return cmd
    .option('--delimiter <char>', 'field delimiter: , ; tab | (default: detected from the header)')
    .option('--decimal <mark>', 'decimal mark: . or , (default: , when a ;-delimited file has decimal commas)')
    .option('--columns <map|file.json>', 'column names in your file, ours=yours: date=data,produto_cat=produto,uf_cat=uf,vendas=qtd,faturamento=receita; or a JSON file with any of delimiter, decimal, date_format, columns');
}

/** The dialect request of the flags (a --columns file first, flags over it). */
export async function csvRequest(opts: { delimiter?: string; decimal?: string; columns?: string }) {
  const data = await import('../data/index.js');
  const fromFile = opts.columns && /\.json$/i.test(opts.columns) ? await data.readDialectFile(opts.columns) : {};
  return {
    ...fromFile,
    ...(opts.delimiter ? { delimiter: data.parseDelimiter(opts.delimiter) } : {}),
    ...(opts.decimal ? { decimal: data.parseDecimal(opts.decimal) } : {}),
    ...(opts.columns && !/\.json$/i.test(opts.columns) ? { columns: data.parseColumnMap(opts.columns) } : {}),
  };
}

/**
 * The source of --data/--table/--query and, for a CSV source, its dialect request. The dialect
 * flags describe a file; with a PostgreSQL source they are refused (a SELECT renames columns:
 * `--query "SELECT dia AS date, …"`, and the database already stores typed numbers).
 */
export async function sourceWithCsv(
  flags: { data: string; table?: string; query?: string; delimiter?: string; decimal?: string; columns?: string },
  cmd: Command,
): Promise<{ source: import('../data/index.js').DataSource; csv?: Awaited<ReturnType<typeof csvRequest>> }> {
  const { sourceFromFlags } = await import('./warehouse-options.js');
  const source = await sourceFromFlags(flags, cmd);
  if (source.kind === 'csv') return { source, csv: await csvRequest(flags) };
  const given = (['delimiter', 'decimal', 'columns'] as const).filter((k) => flags[k] !== undefined);
  if (given.length > 0) {
    const { UsageError } = await import('../errors.js');
    throw new UsageError(`${given.map((k) => `--${k}`).join(', ')} describe a CSV file, not a PostgreSQL source; rename columns in --query instead (SELECT dia AS date, produto AS produto_cat, …)`);
  }
  return { source };
}
