/**
 * How a sales CSV is written: its delimiter, its decimal mark, its date format and the names of
 * its columns. Excel in pt-BR writes `;` between fields, decimal commas and DD/MM/YYYY dates;
 * other exports name the columns in their own words (`data`, `qtd`). `detectDialect` looks at the
 * start of the file; every choice can be given instead (`--delimiter`, `--decimal`, `--columns`).
 */
import { promises as fs } from 'node:fs';
import { ConfigError } from '../errors.js';
import { CsvDialectFileSchema } from '../config/output-schemas.js';

/** The columns a sales CSV must have, in the design's order. */
export const REQUIRED_COLUMNS = ['date', 'produto_cat', 'uf_cat', 'vendas', 'faturamento'] as const;
export type RequiredColumn = (typeof REQUIRED_COLUMNS)[number];

export type Decimal = '.' | ',';
export type DateFormat = 'iso' | 'dmy';

export interface CsvDialect {
  delimiter: string;
  decimal: Decimal;
  dateFormat: DateFormat;
  /** our column name → the file's column name (only the ones that differ) */
  columns: Partial<Record<RequiredColumn, string>>;
}

/** What the user asked for; anything left out is detected. */
export interface CsvDialectRequest {
  delimiter?: string;
  decimal?: Decimal;
  dateFormat?: DateFormat;
  columns?: Partial<Record<RequiredColumn, string>>;
}

export const DEFAULT_DIALECT: CsvDialect = { delimiter: ',', decimal: '.', dateFormat: 'iso', columns: {} };

const DELIMITERS = [',', ';', '\t', '|'];

/** `\t`, `tab`, `;`, `semicolon`, … → the delimiter character. */
export function parseDelimiter(text: string): string {
  const named: Record<string, string> = { tab: '\t', '\\t': '\t', semicolon: ';', comma: ',', pipe: '|' };
  const d = named[text.toLowerCase()] ?? text;
  if (d.length !== 1 || /[\w".\r\n]/.test(d)) throw new ConfigError(`delimiter ${JSON.stringify(text)}: expected one character such as ";" "," "|" or tab`, { param: 'delimiter' });
  return d;
}

export function parseDecimal(text: string): Decimal {
  const named: Record<string, Decimal> = { '.': '.', dot: '.', point: '.', ',': ',', comma: ',' };
  const d = named[text.toLowerCase()];
  if (!d) throw new ConfigError(`decimal mark ${JSON.stringify(text)}: expected "." or ","`, { param: 'decimal' });
  return d;
}

/**
 * `date=data,vendas=qtd` (ours=theirs) → the column map. Unknown names on the left are an error
 * naming the ones we know.
 */
export function parseColumnMap(text: string): Partial<Record<RequiredColumn, string>> {
  const out: Partial<Record<RequiredColumn, string>> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const ours = part.slice(0, eq).trim();
    const theirs = part.slice(eq + 1).trim();
    if (eq <= 0 || theirs === '') throw new ConfigError(`column map: "${part}" is not NAME=COLUMN`, { hint: 'each pair names our column, then the column in your file: date=data', param: 'columns' });
    if (!(REQUIRED_COLUMNS as readonly string[]).includes(ours)) {
      throw new ConfigError(`column map: "${ours}" is not one of ${REQUIRED_COLUMNS.join(', ')}`, { hint: 'the left side names our column, the right side the column in your file: date=data', param: 'columns' });
    }
    out[ours as RequiredColumn] = theirs;
  }
  return out;
}

/**
 * A small JSON file with any of `delimiter`, `decimal`, `date_format` and `columns` (an object
 * ours → theirs), for the flags one does not want to repeat.
 */
export async function readDialectFile(file: string): Promise<CsvDialectRequest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: cannot read the CSV dialect file (${(err as Error).message})`, { hint: 'a JSON object such as {"delimiter": ";", "decimal": ",", "columns": {"date": "data"}}' });
  }
  const parsed = CsvDialectFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`${file}: not a CSV dialect file: ${issues}`, { hint: 'keys: delimiter, decimal ("." or ","), date_format ("iso" or "dmy"), columns {"date": "data", …}' });
  }
  const o = parsed.data;
  const out: CsvDialectRequest = {};
  if (o.delimiter !== undefined) out.delimiter = parseDelimiter(o.delimiter);
  if (o.decimal !== undefined) out.decimal = o.decimal;
  if (o.date_format !== undefined) out.dateFormat = o.date_format;
  if (o.columns !== undefined) out.columns = o.columns;
  return out;
}

/** The dialect of `file`: what was asked for, the rest detected from its first lines. */
export async function detectDialect(file: string, asked: CsvDialectRequest = {}): Promise<CsvDialect> {
  const head = await readHead(file);
  const lines = head.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0] ?? '';
  const delimiter = asked.delimiter ?? guessDelimiter(header);
  const names = header.split(delimiter).map((n) => n.trim().replace(/^"|"$/g, ''));
  const columns = asked.columns ?? {};
  const col = (c: RequiredColumn) => names.indexOf(columns[c] ?? c);
  const rows = lines.slice(1, 50).map((l) => l.split(delimiter));
  const numeric = [col('vendas'), col('faturamento')].filter((i) => i >= 0);
  const decimal = asked.decimal ?? (delimiter !== ',' && rows.some((r) => numeric.some((i) => /\d,\d/.test(r[i] ?? ''))) ? ',' : '.');
  const iDate = col('date');
  const dateFormat = asked.dateFormat ?? (iDate >= 0 && rows.some((r) => /^\s*"?\d{1,2}\/\d{1,2}\/\d{4}/.test(r[iDate] ?? '')) ? 'dmy' : 'iso');
  return { delimiter, decimal, dateFormat, columns };
}

/** The delimiter that splits the header into the most fields (a comma when none does). */
function guessDelimiter(header: string): string {
  let best = ',';
  let most = 0;
  for (const d of DELIMITERS) {
    const n = header.split(d).length - 1;
    if (n > most) {
      most = n;
      best = d;
    }
  }
  return best;
}

async function readHead(file: string): Promise<string> {
  try {
    const fh = await fs.open(file, 'r');
    try {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(8192), 0, 8192, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return ''; // forEachRow reports the unreadable file with its own message
  }
}

/** A number written in `decimal`: `1.234,56` and `1234,56` under ",", `1234.56` under ".". NaN when it is not one. */
export function parseNumber(text: string, decimal: Decimal): number {
  const t = text.trim();
  if (t === '') return Number.NaN;
  if (decimal === '.') return Number(t);
  if (t.includes('.') && !/^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$/.test(t)) return Number.NaN;
  return Number(t.replace(/\./g, '').replace(',', '.'));
}

/** `DD/MM/YYYY` → `YYYY-MM-DD` (other text unchanged, for the date check to refuse). */
export function dmyToIso(text: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : text;
}

/** A sentence for status lines: `";" delimiter, decimal comma, columns date=data`. */
export function describeDialect(d: CsvDialect): string {
  const cols = Object.entries(d.columns).map(([k, v]) => `${k}=${v}`);
  return [
    `${d.delimiter === '\t' ? 'tab' : JSON.stringify(d.delimiter)} delimiter`,
    d.decimal === ',' ? 'decimal comma' : 'decimal point',
    d.dateFormat === 'dmy' ? 'DD/MM/YYYY dates' : 'YYYY-MM-DD dates',
    ...(cols.length ? [`columns ${cols.join(',')}`] : []),
  ].join(', ');
}
