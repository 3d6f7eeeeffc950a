import { parseDay, type WeeklyDataset } from '../../src/data/index.js';

/**
 * A dataset of inline series on one calendar (weeks from 2023-01-02 up to the last series' end):
 * each series its vendas from its start week, faturamento = 10 × vendas, every week observed.
 */
export function inlineDataset(series: { produto: number; regiao: number; start: number; vendas: number[] }[]): WeeklyDataset {
  const weeks = Math.max(...series.map((s) => s.start + s.vendas.length));
  return {
    file: 'inline.csv',
    weekStart: 'monday',
    firstWeek: parseDay('2023-01-02')!,
    weeks,
    missing: 'zero',
    rows: 0,
    channels: ['vendas', 'faturamento'],
    series: series.map((s) => ({
      produto: s.produto,
      regiao: s.regiao,
      start: s.start,
      length: s.vendas.length,
      values: [Float64Array.from(s.vendas), Float64Array.from(s.vendas, (v) => 10 * v)],
      observed: new Uint8Array(s.vendas.length).fill(1),
      rowsPerWeek: new Uint16Array(s.vendas.length).fill(1),
      stats: { rows: s.vendas.length, negativeRows: 0, duplicateRows: 0 },
    })),
  };
}
