/**
 * Streaming reader of the sales CSV (`date, produto_cat, uf_cat, vendas, faturamento`).
 * csv-parse does the parsing; this file checks the header and every field and hands over one
 * typed row at a time, so a 10-million-row file never sits in memory. Every failure is a
 * DataError that names `file:line:column`.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import type { CastingContext, Options } from 'csv-parse';
import { DataError } from '../errors.js';
import { parseDay } from './weeks.js';
import { DEFAULT_DIALECT, dmyToIso, parseNumber, REQUIRED_COLUMNS, type CsvDialect, type RequiredColumn } from './csv-dialect.js';

export { REQUIRED_COLUMNS };

/**
 * One data row. `produto` and `regiao` are the file's `produto_cat` and `uf_cat` as written.
 * `record` counts data rows from 1; the object is reused from row to row, so copy what you keep.
 */
export interface CsvRow {
  record: number;
  day: number;
  produto: number;
  regiao: number;
  vendas: number;
  faturamento: number;
  /** values of the declared covariate columns, in declaration order (absent or empty: none) */
  covariates?: Float64Array;
}

export interface ReadOptions {
  /** extra numeric columns to read (covariates), by header name; each must exist */
  covariates?: readonly string[];
}

/** A bad field, located by record (line numbers are looked up only when something fails). */
class RowProblem {
  constructor(
    readonly record: number,
    readonly column: number | undefined,
    readonly message: string,
    readonly hint: string,
  ) {}
}

/**
 * Streams `file` through csv-parse and calls `onRow` for every data row, in file order, without
 * a promise per row. Resolves to the number of data rows; rejects with a DataError on the first
 * bad line, naming `file:line:column`.
 */
export async function forEachRow(file: string, onRow: (row: CsvRow) => void, dialect: CsvDialect = DEFAULT_DIALECT, options: ReadOptions = {}): Promise<number> {
  await checkStart(file);
  const parser = createReadStream(file).pipe(parse({ bom: true, skip_empty_lines: true, delimiter: dialect.delimiter }));
  const check = rowChecker(dialect, REQUIRED_COLUMNS, options.covariates ?? []);
  let record = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('readable', () => {
        try {
          let fields: string[] | null;
          while ((fields = parser.read() as string[] | null) !== null) {
            const row = check(fields, record++);
            if (record > 1) onRow(row);
          }
        } catch (err) {
          parser.destroy();
          reject(err);
        }
      });
      parser.on('error', reject);
      parser.on('end', resolve);
    });
  } catch (err) {
    if (err instanceof CsvError) throw fromCsvError(err, file);
    if (err instanceof RowProblem) throw await located(err, file, dialect.delimiter);
    throw err;
  }
  if (record === 0) throw new DataError(`${file}: the file has no header line`, { hint: `the first line must be: ${REQUIRED_COLUMNS.join(',')}` });
  return record - 1;
}

/**
 * A function that checks record `i` (0 = header) and turns it into the shared row object.
 * `required` are the key and target columns in our names (the targets may be absent from the
 * list: a file of future covariates has none, and they are then never read); the dialect maps
 * them to the file's names. `covariates` are the extra columns, by the file's own names.
 */
function rowChecker(dialect: CsvDialect, required: readonly string[], covariates: readonly string[]): (fields: string[], i: number) => CsvRow {
  const { decimal, dateFormat, columns } = dialect;
  const names = required.map((c) => columns[c as RequiredColumn] ?? c);
  let index: number[] = [];
  let covIndex: number[] = [];
  let header: string[] = [];
  let dayCache = new Map<string, number>();
  const hasTargets = required.includes('vendas');
  const row: CsvRow = { record: 0, day: 0, produto: 0, regiao: 0, vendas: 0, faturamento: 0, covariates: new Float64Array(covariates.length) };
  return (fields, i) => {
    if (i === 0) {
      header = fields.map((f) => f.trim());
      index = headerIndex(header, names, dialect.delimiter);
      covIndex = headerIndex(header, covariates, dialect.delimiter, 'declared with --covariates');
      return row;
    }
    checkLineEnding(fields, i);
    const dateText = fields[index[0]];
    if (dateText === header[index[0]]) {
      throw new RowProblem(i, 1, 'the header line appears again', 'the file looks like several exports pasted together; keep one header line at the top');
    }
    let day = dayCache.get(dateText);
    if (day === undefined) {
      day = parseDay(dateFormat === 'dmy' ? dmyToIso(dateText) : dateText.trim());
      if (day === undefined) {
        const want = dateFormat === 'dmy' ? 'DD/MM/YYYY' : 'YYYY-MM-DD';
        throw new RowProblem(i, index[0] + 1, `column "${names[0]}": "${dateText}" is not a date (expected ${want})`, dateFormat === 'dmy' ? 'write dates as DD/MM/YYYY throughout, e.g. 04/03/2024' : 'export dates as ISO YYYY-MM-DD, e.g. 2024-03-04');
      }
      if (dayCache.size > 100_000) dayCache = new Map();
      dayCache.set(dateText, day);
    }
    row.record = i;
    row.day = day;
    row.produto = integerField(fields, index[1], names[1], i, decimal);
    row.regiao = integerField(fields, index[2], names[2], i, decimal);
    if (hasTargets) {
      row.vendas = numberField(fields, index[3], names[3], i, decimal);
      row.faturamento = numberField(fields, index[4], names[4], i, decimal);
    }
    for (let k = 0; k < covIndex.length; k++) row.covariates![k] = covariateField(fields, covIndex[k], covariates[k], i, decimal);
    return row;
  };
}

/** The key columns of a file of future covariates: its targets, if any, are never read. */
export const FUTURE_KEY_COLUMNS = ['date', 'produto_cat', 'uf_cat'] as const;

/**
 * Streams a file of future covariates (`date, produto_cat, uf_cat` and the covariate columns):
 * like `forEachRow`, but the target columns are neither required nor read.
 */
export async function forEachFutureRow(file: string, covariates: readonly string[], onRow: (row: CsvRow) => void, dialect: CsvDialect = DEFAULT_DIALECT): Promise<number> {
  await checkStart(file, FUTURE_KEY_COLUMNS);
  const parser = createReadStream(file).pipe(parse({ bom: true, skip_empty_lines: true, delimiter: dialect.delimiter }));
  const check = rowChecker(dialect, FUTURE_KEY_COLUMNS, covariates);
  let record = 0;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      const row = check(fields, record++);
      if (record > 1) onRow(row);
    }
  } catch (err) {
    if (err instanceof CsvError) throw fromCsvError(err, file);
    if (err instanceof RowProblem) throw await located(err, file, dialect.delimiter);
    throw err;
  }
  return Math.max(record - 1, 0);
}

/** The DataError of a problem, with the record's line found by parsing the file again up to it. */
async function located(p: RowProblem, file: string, delimiter: string): Promise<DataError> {
  const tagLine = (fields: string[], ctx: CastingContext) => ({ fields, line: ctx.lines });
  const options: Options = { bom: true, skip_empty_lines: true, delimiter, to: p.record + 1, on_record: tagLine as unknown as Options['on_record'] };
  let line = 0;
  const parser = createReadStream(file).pipe(parse(options));
  for await (const rec of parser as AsyncIterable<{ line: number }>) line = rec.line;
  const where = `${file}:${line}${p.column === undefined ? '' : `:${p.column}`}`;
  return new DataError(`${where}: ${p.message}`, { hint: p.hint });
}

/** Empty files, missing files and UTF-16 text fail before parsing starts. */
async function checkStart(file: string, columns: readonly string[] = REQUIRED_COLUMNS): Promise<void> {
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
      hint: 'check the data file path',
      param: 'data',
      cause: err,
    });
  }
  if (head.length === 0) throw new DataError(`${file}:1:1: the file is empty`, { hint: `the first line must be: ${columns.join(',')}` });
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new DataError(`${file}:1:1: the file starts with a UTF-16 byte-order mark`, { hint: 'save the file as UTF-8 (a UTF-8 BOM is fine)' });
  }
}

/** Positions of the named columns in the header; checks delimiter and duplicate names. */
function headerIndex(header: string[], names: readonly string[], delimiter: string, why = ''): number[] {
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new RowProblem(0, i + 1, `column "${name}" appears twice in the header (columns ${first + 1} and ${i + 1})`, 'remove or rename one of the two columns');
    }
    seen.set(name, i);
  });
  if (header.length === 1) {
    const delim = [',', ';', '\t', '|'].find((d) => d !== delimiter && header[0].includes(d));
    if (delim !== undefined) {
      throw new RowProblem(0, 1, `the header has one column "${header[0]}": the file is delimited by ${JSON.stringify(delim)}, expected ${JSON.stringify(delimiter)}`, `pass --delimiter ${JSON.stringify(delim)} (and --decimal , for decimal commas)`);
    }
  }
  return names.map((name, k) => {
    const i = seen.get(name);
    if (i === undefined) {
      const hint = why
        ? `the column was ${why}: add it to the file, or leave it out of --covariates`
        : `the header must contain ${names.join(',')}; map other names with --columns ${REQUIRED_COLUMNS[k]}=<your column>`;
      throw new RowProblem(0, undefined, `column "${name}" not found (has: ${header.join(', ')})`, hint);
    }
    return i;
  });
}

/** A stray carriage return at the end of a row means the file mixes CRLF and LF line endings. */
function checkLineEnding(fields: string[], i: number): void {
  if (fields[fields.length - 1].endsWith('\r')) {
    throw new RowProblem(i, fields.length, 'the line ends in CRLF but earlier lines end in LF', 'use one kind of line ending throughout the file (CRLF or LF)');
  }
}

function numberField(fields: string[], i: number, name: string, record: number, decimal: CsvDialect['decimal']): number {
  const text = fields[i];
  const x = parseNumber(text, decimal);
  if (!Number.isFinite(x)) {
    const hint =
      decimal === '.'
        ? `use plain numbers with a dot as decimal mark (1234.56), no thousands separators or currency symbols${/\d,\d/.test(text) ? '; for decimal commas pass --decimal ,' : ''}`
        : 'use numbers with a decimal comma (1234,56 or 1.234,56), no currency symbols';
    throw new RowProblem(record, i + 1, `column "${name}": "${text}" is not a number`, hint);
  }
  return x;
}

/** Largest |value| of a covariate (prices, flags, quantities of ordinary size; keeps float32 finite). */
export const COVARIATE_MAX_ABS = 1e12;

/** A covariate: a finite number within ±1e12; an empty field is a missing value, named as such. */
function covariateField(fields: string[], i: number, name: string, record: number, decimal: CsvDialect['decimal']): number {
  const text = fields[i];
  if (text.trim() === '') {
    throw new RowProblem(record, i + 1, `column "${name}": the value is missing`, 'covariates must be known for every row: fill the gap (e.g. the last known price) or drop the column from --covariates');
  }
  const x = numberField(fields, i, name, record, decimal);
  if (Math.abs(x) > COVARIATE_MAX_ABS) throw new RowProblem(record, i + 1, `column "${name}": ${text} is out of range (|x| > 1e12)`, 'covariates are prices, flags or quantities of ordinary size');
  return x;
}

function integerField(fields: string[], i: number, name: string, record: number, decimal: CsvDialect['decimal']): number {
  const x = numberField(fields, i, name, record, decimal);
  if (!Number.isInteger(x)) throw new RowProblem(record, i + 1, `column "${name}": "${fields[i]}" is not an integer code`, `${name} holds integer category codes`);
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
