/**
 * Synthetic weekly sales in the design's CSV schema: products x UFs x weeks, with per-product
 * base demand spread over orders of magnitude, trend, yearly seasonality, Brazilian retail peaks,
 * national promotions (more units, lower price), inflation, intermittent low-volume products and
 * regional scale factors. Deterministic for a seed.
 */
import * as aq from 'arquero';
import { writeFileAtomic } from '../io/atomic-write.js';
import { Rng } from '../runtime/rng.js';
import { injectFlaws } from './synth-flaws.js';
import type { FlawSummary, SynthRows } from './synth-flaws.js';
import { retailLift, yearFraction } from './retail-calendar.js';
import { formatDay, parseDay } from './weeks.js';

/** UFs in `uf_cat` order and their demand scale (SP the largest; EX = export). */
export const UFS = [
  { uf: 'SP', scale: 1.0 },
  { uf: 'GO', scale: 0.22 },
  { uf: 'MG', scale: 0.5 },
  { uf: 'EX', scale: 0.12 },
  { uf: 'RS', scale: 0.33 },
  { uf: 'PR', scale: 0.36 },
] as const;

export interface SynthOptions {
  products: number;
  regions: number;
  weeks: number;
  /** first week's date, YYYY-MM-DD (a Monday by default) */
  start: string;
  seed: number;
  flaws: boolean;
}

export const SYNTH_DEFAULTS: SynthOptions = { products: 150, regions: 6, weeks: 156, start: '2023-01-02', seed: 42, flaws: false };

export interface SynthResult {
  csv: string;
  rows: number;
  series: number;
  flaws?: FlawSummary;
}

/** Share of products that sell a few units in some weeks only. */
const INTERMITTENT_SHARE = 0.2;
const YEARLY_INFLATION = 0.045;

/** Generates the CSV text (header + rows sorted by produto_cat, uf_cat, date). */
export function synthesize(options: Partial<SynthOptions> = {}): SynthResult {
  const o = { ...SYNTH_DEFAULTS, ...options };
  const rng = new Rng(o.seed);
  const start = parseDay(o.start) as number;
  const weekDays = Array.from({ length: o.weeks }, (_, t) => start + 7 * t);
  const lift = weekDays.map(retailLift);
  const yearPos = weekDays.map(yearFraction);
  const n = o.products * o.regions * o.weeks;
  const rows: SynthRows = {
    day: new Int32Array(n),
    produto: new Int32Array(n),
    regiao: new Int32Array(n),
    vendas: new Float64Array(n),
    faturamento: new Float64Array(n),
  };
  let i = 0;
  for (let p = 0; p < o.products; p++) {
    const isIntermittent = rng.next() < INTERMITTENT_SHARE;
    const base = isIntermittent ? 0.15 + 1.2 * rng.next() : Math.exp(Math.log(40) + 1.1 * rng.normal());
    const trend = 0.0006 + 0.002 * rng.normal();
    const amplitude = 0.25 * rng.next();
    const phase = 2 * Math.PI * rng.next();
    const peakSensitivity = 0.3 + 0.9 * rng.next();
    const price0 = Math.exp(Math.log(25) + 0.9 * rng.normal());
    const promo = promotions(rng, o.weeks);
    for (let r = 0; r < o.regions; r++) {
      const uf = UFS[r % UFS.length];
      const share = uf.scale * Math.pow(0.7, Math.floor(r / UFS.length)) * Math.exp(0.35 * rng.normal());
      const priceFactor = 1 + 0.05 * rng.normal();
      for (let t = 0; t < o.weeks; t++) {
        const season = 1 + amplitude * Math.sin(2 * Math.PI * yearPos[t] + phase);
        const peak = 1 + peakSensitivity * (lift[t] - 1);
        const mean = base * share * Math.exp(trend * t) * season * peak * promo.lift[t];
        const units = poisson(rng, mean * Math.exp(0.15 * rng.normal() - 0.011));
        const inflation = Math.pow(1 + YEARLY_INFLATION, Math.floor(t / 13) / 4);
        const price = price0 * priceFactor * inflation * (1 - promo.cut[t]);
        rows.day[i] = weekDays[t];
        rows.produto[i] = p;
        rows.regiao[i] = r;
        rows.vendas[i] = units;
        rows.faturamento[i] = units === 0 ? 0 : Math.round(units * price * (1 + 0.01 * rng.normal()) * 100) / 100;
        i++;
      }
    }
  }
  const flawed = o.flaws ? injectFlaws(rows, new Rng(o.seed ^ 0x5eed), o.weeks) : { rows, summary: undefined };
  const r = flawed.rows;
  const table = aq.table({
    date: Array.from(r.day, formatDay),
    produto_cat: r.produto,
    uf_cat: r.regiao,
    vendas: r.vendas,
    faturamento: r.faturamento,
  });
  return { csv: table.toCSV(), rows: r.day.length, series: o.products * o.regions, flaws: flawed.summary };
}

/** Generates and writes atomically to `path` (nothing is left behind on failure). */
export async function writeSynth(path: string, options: Partial<SynthOptions> = {}): Promise<SynthResult> {
  const result = synthesize(options);
  await writeFileAtomic(path, result.csv);
  return result;
}

/** Promotion weeks of one product (national: every UF at once): unit lift and price cut. */
function promotions(rng: Rng, weeks: number): { lift: Float64Array; cut: Float64Array } {
  const lift = new Float64Array(weeks).fill(1);
  const cut = new Float64Array(weeks);
  for (let t = 0; t < weeks; t++) {
    if (rng.next() >= 0.035) continue;
    const depth = 0.1 + 0.2 * rng.next();
    const len = 1 + rng.int(2);
    for (let k = t; k < Math.min(weeks, t + len); k++) {
      cut[k] = depth;
      lift[k] = 1 + depth * (3 + 3 * rng.next());
    }
    if (t + len < weeks) lift[t + len] = 0.9;
    t += len;
  }
  return { lift, cut };
}

/** Poisson draw: Knuth below 30, normal approximation above. */
function poisson(rng: Rng, mean: number): number {
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let prod = rng.next();
    while (prod > limit) {
      k++;
      prod *= rng.next();
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
}
