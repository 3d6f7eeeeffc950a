/**
 * The design's monitoring figures, over the points of a backtest (one point = one series, one
 * week, its actual and forecast): the rolling MAE of the last 30 days (the last 4 weeks of weekly
 * data), MAPE per product and R² per region. With several origins a week can appear once per
 * origin; every point counts (pass only the 1-step-ahead points for the "latest forecast" view).
 */
import { mae, mape } from './metrics.js';

export interface ForecastPoint {
  /** Week start, YYYY-MM-DD. */
  date: string;
  produto: string | number;
  regiao: string | number;
  actual: number;
  forecast: number;
}

const DAY_MS = 86_400_000;

function groupBy<K>(points: readonly ForecastPoint[], key: (p: ForecastPoint) => K): Map<K, ForecastPoint[]> {
  const groups = new Map<K, ForecastPoint[]>();
  for (const p of points) {
    const k = key(p);
    const g = groups.get(k);
    if (g) g.push(p);
    else groups.set(k, [p]);
  }
  return groups;
}

/** Numbers in numeric order, anything else as text. */
function compareKeys(a: string | number, b: string | number): number {
  const x = Number(a);
  const y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : String(a).localeCompare(String(b));
}

/** MAE over the `weeks` weeks ending at each date (the window is (date - 7·weeks days, date]). */
export function rollingMae(points: readonly ForecastPoint[], weeks = 4): { date: string; mae: number; nPoints: number }[] {
  const byDate = [...groupBy(points, (p) => p.date)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const time = byDate.map(([d]) => Date.parse(`${d}T00:00:00Z`));
  return byDate.map(([date], i) => {
    const inWindow: ForecastPoint[] = [];
    for (let j = i; j >= 0 && time[i] - time[j] < weeks * 7 * DAY_MS; j--) inWindow.push(...byDate[j][1]);
    return { date, mae: mae(inWindow.map((p) => p.actual), inWindow.map((p) => p.forecast)), nPoints: inWindow.length };
  });
}

/** MAPE (percent, weeks with sales > 0) per produto, in produto order. */
export function mapeByProduto(points: readonly ForecastPoint[]): { produto: string | number; mape: number; nPoints: number }[] {
  return [...groupBy(points, (p) => p.produto)]
    .sort(([a], [b]) => compareKeys(a, b))
    .map(([produto, g]) => ({ produto, mape: mape(g.map((p) => p.actual), g.map((p) => p.forecast)), nPoints: g.length }));
}

/** Coefficient of determination 1 - SS_res / SS_tot (NaN when the actuals are constant). */
export function r2(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < actual.length; i++) mean += actual[i];
  mean /= actual.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < actual.length; i++) {
    res += (actual[i] - forecast[i]) ** 2;
    tot += (actual[i] - mean) ** 2;
  }
  return tot > 0 ? 1 - res / tot : NaN;
}

/** R² per regiao over all of the region's points (every product and week, as sklearn's r2_score
 *  on the region's rows), in regiao order. */
export function r2ByRegiao(points: readonly ForecastPoint[]): { regiao: string | number; r2: number; nPoints: number }[] {
  return [...groupBy(points, (p) => p.regiao)]
    .sort(([a], [b]) => compareKeys(a, b))
    .map(([regiao, g]) => ({ regiao, r2: r2(g.map((p) => p.actual), g.map((p) => p.forecast)), nPoints: g.length }));
}
