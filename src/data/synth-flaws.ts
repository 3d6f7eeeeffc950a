/**
 * Realistic defects for `ttm synth --flaws`, so `ttm validate` has something to find: gaps (runs
 * of missing weeks), negative rows (returns booked as sales), duplicated rows, outliers (a
 * mistyped quantity) and a stale tail (series whose export stopped early).
 */
import type { Rng } from '../runtime/rng.js';

/** Column arrays of synthetic rows, sorted by produto, regiao, date; weeks per series fixed. */
export interface SynthRows {
  day: Int32Array;
  produto: Int32Array;
  regiao: Int32Array;
  vendas: Float64Array;
  faturamento: Float64Array;
}

export interface FlawSummary {
  gapSeries: number;
  staleSeries: number;
  negativeRows: number;
  duplicateRows: number;
  outlierRows: number;
}

const GAP_WEEKS = 10;
const STALE_WEEKS = 6;

/** Returns new rows with defects injected (rows of a series stay together, in date order). */
export function injectFlaws(rows: SynthRows, rng: Rng, weeks: number): { rows: SynthRows; summary: FlawSummary } {
  const n = rows.day.length;
  const series = n / weeks;
  const keep = new Uint8Array(n).fill(1);
  const copies = new Uint8Array(n).fill(1);
  const summary: FlawSummary = { gapSeries: 0, staleSeries: 0, negativeRows: 0, duplicateRows: 0, outlierRows: 0 };
  const vendas = Float64Array.from(rows.vendas);
  const faturamento = Float64Array.from(rows.faturamento);
  for (let s = 0; s < series; s++) {
    const base = s * weeks;
    const u = rng.next();
    if (u < 0.03 && weeks > GAP_WEEKS + 2) {
      const from = 1 + rng.int(weeks - GAP_WEEKS - 1);
      keep.fill(0, base + from, base + from + GAP_WEEKS);
      summary.gapSeries++;
    } else if (u < 0.05 && weeks > STALE_WEEKS + 1) {
      keep.fill(0, base + weeks - STALE_WEEKS, base + weeks);
      summary.staleSeries++;
    }
  }
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const u = rng.next();
    if (u < 0.0005) {
      const returned = 1 + rng.int(5);
      faturamento[i] = -Math.round((faturamento[i] / Math.max(vendas[i], 1)) * returned * 100) / 100;
      vendas[i] = -returned;
      summary.negativeRows++;
    } else if (u < 0.0015) {
      copies[i] = 2;
      summary.duplicateRows++;
    } else if (u < 0.0045 && vendas[i] > 0) {
      vendas[i] *= 20;
      faturamento[i] = Math.round(faturamento[i] * 20 * 100) / 100;
      summary.outlierRows++;
    }
  }
  let m = 0;
  for (let i = 0; i < n; i++) m += keep[i] * copies[i];
  const out: SynthRows = { day: new Int32Array(m), produto: new Int32Array(m), regiao: new Int32Array(m), vendas: new Float64Array(m), faturamento: new Float64Array(m) };
  let j = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < keep[i] * copies[i]; c++, j++) {
      out.day[j] = rows.day[i];
      out.produto[j] = rows.produto[i];
      out.regiao[j] = rows.regiao[i];
      out.vendas[j] = vendas[i];
      out.faturamento[j] = faturamento[i];
    }
  }
  return { rows: out, summary };
}
