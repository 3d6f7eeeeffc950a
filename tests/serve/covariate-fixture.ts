/**
 * A tiny model trained with covariates for the server's tests: 4 produtos x 2 UFs, 70 weeks from
 * 2023-01-02, level x 3 in promo weeks (price 3 instead of 4, featured), context 24, horizon 4,
 * one epoch (a few seconds), plus the forecast weeks' plans as request rows and as CSV files.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainModel, TRAIN_DEFAULTS } from '../../src/train/index.js';
import { useBackend } from '../helpers/backend.js';

export const COLS = ['price', 'base_price', 'feature'];
export const H = 4;
export const WEEKS = 70;
/** the weeks after the training data's last */
export const FORECAST_WEEKS = ['2024-05-06', '2024-05-13', '2024-05-20', '2024-05-27'];
export const ALL: [number, number][] = [1, 2, 3, 4].flatMap((p) => [0, 1].map((u): [number, number] => [p, u]));

export const day = (t: number) => new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10);
const isPromo = (t: number, p: number, u: number) => (t * 7 + p * 3 + u) % 9 === 0;

export function salesCsv(weeks: number): string {
  const lines = ['date,produto_cat,uf_cat,vendas,faturamento,price,base_price,feature'];
  for (const [p, u] of ALL) {
    for (let t = 0; t < weeks; t++) {
      const promo = isPromo(t, p, u);
      const price = promo ? 3 : 4;
      const v = Math.round((10 * p + 5 * u) * (promo ? 3 : 1) * (1 + 0.2 * Math.sin(t / 3)));
      lines.push(`${day(t)},${p},${u},${v},${v * price},${price},4,${promo ? 1 : 0}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A series' history rows as a request's `history` (with the covariate columns). */
export function historyRows(p: number, u: number) {
  return salesCsv(WEEKS)
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .filter((c) => c[1] === String(p) && c[2] === String(u))
    .map((c) => ({ date: c[0], vendas: Number(c[3]), faturamento: Number(c[4]), price: Number(c[5]), base_price: Number(c[6]), feature: Number(c[7]) }));
}

/** The planned covariates of weeks from … to-1 of a series as `future` rows; `flat`: no promotion. */
export function plan(p: number, u: number, from = WEEKS, to = WEEKS + H, flat = false) {
  return Array.from({ length: to - from }, (_, k) => {
    const promo = !flat && isPromo(from + k, p, u);
    return { date: day(from + k), price: promo ? 3 : 4, base_price: 4, feature: promo ? 1 : 0 };
  });
}

/** A --future CSV (no targets) with the forecast weeks of the given series. */
export function futureCsv(series: [number, number][], flat = false): string {
  const rows = series.flatMap(([p, u]) => plan(p, u, WEEKS, WEEKS + H, flat).map((r) => `${r.date},${p},${u},${r.price},${r.base_price},${r.feature}`));
  return `date,produto_cat,uf_cat,price,base_price,feature\n${rows.join('\n')}\n`;
}

export interface CovariateFixture {
  dir: string;
  data: string;
  /** trained with COLS and the BR calendar */
  model: string;
  results: string;
  /** future.csv (all series), future-flat.csv (no promotions), future-partial.csv (lacks produto 4 regiao 1) */
  future: { all: string; flat: string; partial: string };
}

/** Trains the covariate model (and, with `calendarOnly`, a BR-calendar model without columns in `dir/calendar`). */
export async function covariateFixture(prefix: string, o: { calendarOnly?: boolean } = {}): Promise<CovariateFixture> {
  await useBackend('wasm');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const data = join(dir, 'train.csv');
  writeFileSync(data, salesCsv(WEEKS));
  const future = { all: join(dir, 'future.csv'), flat: join(dir, 'future-flat.csv'), partial: join(dir, 'future-partial.csv') };
  writeFileSync(future.all, futureCsv(ALL));
  writeFileSync(future.flat, futureCsv(ALL, true));
  writeFileSync(future.partial, futureCsv(ALL.filter(([p, u]) => !(p === 4 && u === 1))));
  // blend window 0: the model alone, so a change of plan always shows in the forecast (after one
  // epoch the validation blend may weigh a tiny model at 0)
  const common = { ...TRAIN_DEFAULTS, data, context: 24, horizon: H, epochs: 1, stride: 2, refit: false, checkpointEverySteps: 0, blendWindow: 0 };
  await trainModel({ ...common, output: join(dir, 'model'), results: join(dir, 'results'), covariates: COLS, calendar: 'BR' });
  if (o.calendarOnly) await trainModel({ ...common, output: join(dir, 'calendar'), results: join(dir, 'results-cal'), stride: 4, covariates: [], calendar: 'BR' });
  return { dir, data, model: join(dir, 'model'), results: join(dir, 'results'), future };
}
