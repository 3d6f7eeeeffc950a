/**
 * Rows → weekly series. Rows stream in; per series only one cell per week is kept in typed
 * arrays (two sums, a row count, a 7-bit mask of the weekdays seen: 19 bytes), so memory grows
 * with series x weeks, not with rows.
 */
import { DataError } from '../errors.js';
import { forEachRow } from './read-csv.js';
import type { CsvRow } from './read-csv.js';
import { CHANNELS } from './series.js';
import type { MissingPolicy, Series, SeriesRowStats, WeeklyDataset } from './series.js';
import { WEEKDAYS, weekdayOf, weekStartOf } from './weeks.js';
import type { WeekStart } from './weeks.js';

export interface LoadOptions {
  /** weekday weeks start on; 'auto' (default) = weekday of the first data row's date */
  weekStart?: WeekStart;
  /** a week with no row: 'zero' (default) = no sales, 'gap' = observed mask 0 */
  missing?: MissingPolicy;
}

/** Weekly cells of one series, in typed arrays indexed by week - base (grown as needed). */
interface Acc {
  produto: number;
  regiao: number;
  /** day number of the week at index 0 */
  base: number;
  /** weeks in use: indices 0 … size-1 */
  size: number;
  vendas: Float64Array;
  faturamento: Float64Array;
  rows: Uint16Array;
  /** one bit per weekday seen in the week, to find repeated dates */
  days: Uint8Array;
  stats: SeriesRowStats;
}

/** Reads `file` and aggregates it to weekly series. */
export async function loadWeekly(file: string, options: LoadOptions = {}): Promise<WeeklyDataset> {
  const acc = weeklyAccumulator(options);
  const rows = await forEachRow(file, acc.add);
  if (rows === 0) throw new DataError(`${file}:2: the file has a header but no data rows`, { hint: 'export at least one row per series' });
  return acc.finish(file);
}

/**
 * Aggregates rows (any order) to weekly series: sums per week, one series per produto x uf.
 * `add` takes rows one by one; `finish` builds the dataset.
 */
export function weeklyAccumulator(options: LoadOptions = {}): { add: (row: CsvRow) => void; finish: (file: string) => WeeklyDataset } {
  const missing = options.missing ?? 'zero';
  const weekStart = options.weekStart ?? 'auto';
  let anchor = weekStart === 'auto' ? -1 : WEEKDAYS.indexOf(weekStart);
  const accs = new Map<number, Map<number, Acc>>();
  let count = 0;
  const add = (row: CsvRow): void => {
    if (anchor < 0) anchor = weekdayOf(row.day);
    count++;
    let byRegiao = accs.get(row.produto);
    if (byRegiao === undefined) accs.set(row.produto, (byRegiao = new Map()));
    let acc = byRegiao.get(row.regiao);
    const week = weekStartOf(row.day, anchor);
    if (acc === undefined) byRegiao.set(row.regiao, (acc = newAcc(row.produto, row.regiao, week)));
    addRow(acc, row, week);
  };
  const finish = (file: string): WeeklyDataset => {
    const all = [...accs.values()].flatMap((m) => [...m.values()]);
    const first = all.reduce((m, a) => Math.min(m, a.base + 7 * firstUsed(a)), Infinity);
    const last = all.reduce((m, a) => Math.max(m, a.base + 7 * lastUsed(a)), -Infinity);
    const series = all.sort((a, b) => a.produto - b.produto || a.regiao - b.regiao).map((a) => densify(a, first, missing));
    return { file, weekStart: WEEKDAYS[anchor], firstWeek: first, weeks: (last - first) / 7 + 1, missing, rows: count, channels: CHANNELS, series };
  };
  return { add, finish };
}

function newAcc(produto: number, regiao: number, week: number): Acc {
  const cap = 64;
  return {
    produto,
    regiao,
    base: week,
    size: 0,
    vendas: new Float64Array(cap),
    faturamento: new Float64Array(cap),
    rows: new Uint16Array(cap),
    days: new Uint8Array(cap),
    stats: { rows: 0, negativeRows: 0, duplicateRows: 0 },
  };
}

/** Makes room for week index `t` (may be negative: the series' rows came out of date order). */
function grow(acc: Acc, t: number): number {
  // Room is made in front as at the back (at least the weeks in use), so rows in reverse date
  // order cost amortised O(1) too; leading weeks without rows are dropped by densify.
  const shift = t < 0 ? Math.max(-t, acc.size) : 0;
  const need = Math.max(acc.size, t + 1) + shift;
  if (shift === 0 && need <= acc.vendas.length) return t;
  const cap = need <= acc.vendas.length ? acc.vendas.length : Math.max(need, acc.vendas.length * 2);
  const move = <T extends Float64Array | Uint16Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    const b = make(cap);
    b.set(a.subarray(0, acc.size), shift);
    return b;
  };
  acc.vendas = move(acc.vendas, (n) => new Float64Array(n));
  acc.faturamento = move(acc.faturamento, (n) => new Float64Array(n));
  acc.rows = move(acc.rows, (n) => new Uint16Array(n));
  acc.days = move(acc.days, (n) => new Uint8Array(n));
  acc.base -= 7 * shift;
  acc.size += shift;
  return t + shift;
}

function addRow(acc: Acc, row: CsvRow, week: number): void {
  const t = grow(acc, (week - acc.base) / 7);
  if (t >= acc.size) acc.size = t + 1;
  acc.stats.rows++;
  if (row.vendas < 0 || row.faturamento < 0) acc.stats.negativeRows++;
  const bit = 1 << (row.day - week);
  if (acc.days[t] & bit) acc.stats.duplicateRows++;
  acc.days[t] |= bit;
  if (acc.rows[t] < 65535) acc.rows[t]++;
  acc.vendas[t] += row.vendas;
  acc.faturamento[t] += row.faturamento;
}

function firstUsed(acc: Acc): number {
  let t = 0;
  while (acc.rows[t] === 0) t++;
  return t;
}

function lastUsed(acc: Acc): number {
  let t = acc.size - 1;
  while (acc.rows[t] === 0) t--;
  return t;
}

/** One accumulator → a dense series from its first to its last week with rows. */
function densify(acc: Acc, firstWeek: number, missing: MissingPolicy): Series {
  const lo = firstUsed(acc);
  const hi = lastUsed(acc) + 1;
  const rowsPerWeek = acc.rows.slice(lo, hi);
  return {
    produto: acc.produto,
    regiao: acc.regiao,
    start: (acc.base + 7 * lo - firstWeek) / 7,
    length: hi - lo,
    values: [acc.vendas.slice(lo, hi), acc.faturamento.slice(lo, hi)],
    observed: missing === 'zero' ? new Uint8Array(hi - lo).fill(1) : Uint8Array.from(rowsPerWeek, (n) => (n > 0 ? 1 : 0)),
    rowsPerWeek,
    stats: acc.stats,
  };
}
