/**
 * Rows → weekly series. Rows stream in; per series only one cell per week is kept (sums, row
 * count, a 7-bit mask of the weekdays seen), so memory grows with series x weeks, not with rows.
 */
import { DataError } from '../errors.js';
import type { CsvRow } from './read-csv.js';
import { readRows } from './read-csv.js';
import { CHANNELS, seriesId } from './series.js';
import type { MissingPolicy, Series, WeeklyDataset } from './series.js';
import { WEEKDAYS, weekdayOf, weekStartOf } from './weeks.js';
import type { WeekStart } from './weeks.js';

export interface LoadOptions {
  /** weekday weeks start on; 'auto' (default) = weekday of the first data row's date */
  weekStart?: WeekStart;
  /** a week with no row: 'zero' (default) = no sales, 'gap' = observed mask 0 */
  missing?: MissingPolicy;
}

interface Cell {
  vendas: number;
  faturamento: number;
  rows: number;
  days: number;
}

interface Acc {
  produto: number;
  regiao: number;
  weeks: Map<number, Cell>;
  rows: number;
  negativeRows: number;
  duplicateRows: number;
}

/** Reads `file` and aggregates it to weekly series. */
export async function loadWeekly(file: string, options: LoadOptions = {}): Promise<WeeklyDataset> {
  return toWeekly(readRows(file), file, options);
}

/** Aggregates rows (any order) to weekly series: sums per week, one series per produto x uf. */
export async function toWeekly(rows: AsyncIterable<CsvRow> | Iterable<CsvRow>, file: string, options: LoadOptions = {}): Promise<WeeklyDataset> {
  const missing = options.missing ?? 'zero';
  const weekStart = options.weekStart ?? 'auto';
  let anchor = weekStart === 'auto' ? -1 : WEEKDAYS.indexOf(weekStart);
  const accs = new Map<string, Acc>();
  let count = 0;
  for await (const row of rows) {
    if (anchor < 0) anchor = weekdayOf(row.day);
    count++;
    const id = seriesId(row);
    let acc = accs.get(id);
    if (acc === undefined) {
      acc = { produto: row.produto, regiao: row.regiao, weeks: new Map(), rows: 0, negativeRows: 0, duplicateRows: 0 };
      accs.set(id, acc);
    }
    addRow(acc, row, weekStartOf(row.day, anchor));
  }
  if (count === 0) throw new DataError(`${file}:2: the file has a header but no data rows`, { hint: 'export at least one row per series' });

  let first = Infinity;
  let last = -Infinity;
  for (const acc of accs.values()) {
    for (const w of acc.weeks.keys()) {
      if (w < first) first = w;
      if (w > last) last = w;
    }
  }
  const series = [...accs.values()]
    .sort((a, b) => a.produto - b.produto || a.regiao - b.regiao)
    .map((acc) => densify(acc, first, missing));
  return { file, weekStart: WEEKDAYS[anchor], firstWeek: first, weeks: (last - first) / 7 + 1, missing, rows: count, channels: CHANNELS, series };
}

function addRow(acc: Acc, row: CsvRow, week: number): void {
  acc.rows++;
  if (row.vendas < 0 || row.faturamento < 0) acc.negativeRows++;
  let cell = acc.weeks.get(week);
  if (cell === undefined) {
    cell = { vendas: 0, faturamento: 0, rows: 0, days: 0 };
    acc.weeks.set(week, cell);
  }
  const bit = 1 << (row.day - week);
  if (cell.days & bit) acc.duplicateRows++;
  cell.days |= bit;
  cell.rows++;
  cell.vendas += row.vendas;
  cell.faturamento += row.faturamento;
}

/** One accumulator → a dense series from its first to its last week. */
function densify(acc: Acc, firstWeek: number, missing: MissingPolicy): Series {
  let lo = Infinity;
  let hi = -Infinity;
  for (const w of acc.weeks.keys()) {
    if (w < lo) lo = w;
    if (w > hi) hi = w;
  }
  const length = (hi - lo) / 7 + 1;
  const vendas = new Float64Array(length);
  const faturamento = new Float64Array(length);
  const rowsPerWeek = new Uint16Array(length);
  for (const [w, cell] of acc.weeks) {
    const t = (w - lo) / 7;
    vendas[t] = cell.vendas;
    faturamento[t] = cell.faturamento;
    rowsPerWeek[t] = Math.min(cell.rows, 65535);
  }
  const observed = missing === 'zero' ? new Uint8Array(length).fill(1) : rowsPerWeek.map((n) => (n > 0 ? 1 : 0));
  return {
    produto: acc.produto,
    regiao: acc.regiao,
    start: (lo - firstWeek) / 7,
    length,
    values: [vendas, faturamento],
    observed: Uint8Array.from(observed),
    rowsPerWeek,
    stats: { rows: acc.rows, negativeRows: acc.negativeRows, duplicateRows: acc.duplicateRows },
  };
}
