import { describe, expect, it } from 'vitest';
import { formatDay, loadWeekly, parseDay } from '../../src/data/index.js';
import {
  BASELINES,
  backtestOrigins,
  backtestWindows,
  metricSet,
  scoreBacktest,
  type MetricSet,
} from '../../src/evaluate/index.js';
import { calibrateConformal } from '../../src/predict/index.js';
import { DUNNHUMBY_DIR, dunnhumbySkipReason, readBaselinesJson } from './dunnhumby.js';
import { inlineDataset } from '../helpers/inline-dataset.js';

const dataset = inlineDataset;

const wave = (n: number, phase = 0) => Array.from({ length: n }, (_, t) => 10 + 5 * Math.sin((2 * Math.PI * (t + phase)) / 52) + (t % 3));

describe('backtest windows', () => {
  const ds = dataset([
    { produto: 1, regiao: 0, start: 0, vendas: wave(70) },
    { produto: 2, regiao: 0, start: 10, vendas: wave(60, 5) }, // 52 weeks of history only from week 62
    { produto: 3, regiao: 1, start: 0, vendas: wave(66) }, // ends 4 weeks early
  ]);

  it('steps origins back one week from the latest whose horizon ends at the last week', () => {
    expect(backtestOrigins(ds, { origins: 3, horizon: 4 })).toEqual([64, 65, 66]);
  });

  it('keeps only series with a full horizon after the origin and a season of history before it', () => {
    const refs = backtestWindows(ds, { origins: 3, horizon: 4 });
    // series 1: all three origins; series 2 (starts at 10): origins >= 62, all three; series 3 ends at 65: none
    expect(refs).toEqual([
      { series: 0, origin: 64 },
      { series: 1, origin: 64 },
      { series: 0, origin: 65 },
      { series: 1, origin: 65 },
      { series: 0, origin: 66 },
      { series: 1, origin: 66 },
    ]);
    expect(backtestWindows(ds, { origins: 3, horizon: 4, minHistory: 55 }).filter((r) => r.series === 1)).toEqual([
      { series: 1, origin: 65 },
      { series: 1, origin: 66 },
    ]);
  });
});

describe('scoreBacktest', () => {
  const ds = dataset([
    { produto: 1, regiao: 0, start: 0, vendas: wave(70) },
    { produto: 2, regiao: 1, start: 0, vendas: wave(70, 9) },
    { produto: 3, regiao: 1, start: 0, vendas: wave(70, 20) },
  ]);
  const H = 4;
  const refs = backtestWindows(ds, { origins: 2, horizon: H });
  // the "model" forecasts mean52 on both channels, [H, C] row-major; series 3 fails at its last origin
  const forecasts = refs.map((r, i) => {
    if (r.series === 2 && i === refs.length - 1) return Float64Array.from({ length: 2 * H }, () => NaN);
    const s = ds.series[r.series];
    const at = r.origin - s.start;
    const v = BASELINES.mean52(s.values[0].subarray(0, at), H);
    const f = BASELINES.mean52(s.values[1].subarray(0, at), H);
    return Float64Array.from({ length: 2 * H }, (_, k) => (k % 2 === 0 ? v[k >> 1] : f[k >> 1]));
  });

  it('counts series whose forecast failed and leaves their windows out of every method', () => {
    const r = scoreBacktest({ ds, refs, horizon: H, forecasts });
    expect(r.series).toBe(3);
    expect(r.failedSeries).toBe(1);
    expect(r.errorRate).toBeCloseTo(1 / 3, 12);
    expect(r.windows).toBe(5);
    for (const m of Object.values(r.methods)) expect(m.vendas.nPoints).toBe(5 * H);
    // the stand-in model is mean52 itself: same figures, zero skill against it
    expect(r.methods.ttm.vendas.wape).toBeCloseTo(r.methods.mean52.vendas.wape, 12);
    expect(r.skill.vendas.mean52.wape).toBeCloseTo(0, 12);
    expect(r.origins).toEqual([65, 66].map((w) => formatDay(parseDay('2023-01-02')! + 7 * w)));
  });

  it('scores each baseline with the metric code on the full history before the origin', () => {
    const r = scoreBacktest({ ds, refs, horizon: H, forecasts: refs.map(() => new Float64Array(2 * H)) });
    const windows = refs.map((ref) => {
      const s = ds.series[ref.series];
      const at = ref.origin - s.start;
      const history = s.values[1].subarray(0, at);
      return { history, actual: s.values[1].slice(at, at + H), forecast: BASELINES.snaive52(history, H) };
    });
    expect(r.methods.snaive52.faturamento).toEqual(metricSet(windows));
    expect(r.errorRate).toBe(0);
  });

  it('reports interval coverage per level and the monitoring figures', () => {
    const cal = ['vendas', 'faturamento'].map((_, c) =>
      calibrateConformal(
        refs.map((ref) => {
          const s = ds.series[ref.series];
          const at = ref.origin - s.start - H;
          const history = s.values[c].subarray(0, at);
          return { history, actual: s.values[c].slice(at, at + H), forecast: BASELINES.mean52(history, H) };
        }),
      ),
    );
    const r = scoreBacktest({ ds, refs, horizon: H, forecasts, calibration: cal, levels: [0.5, 0.9] });
    expect(r.intervals.vendas.map((i) => i.level)).toEqual([0.5, 0.9]);
    for (const i of r.intervals.vendas) {
      expect(i.coverage).toBeGreaterThanOrEqual(0);
      expect(i.coverage).toBeLessThanOrEqual(1);
      expect(i.nPoints).toBe(5 * H);
    }
    expect(r.intervals.vendas[1].meanWidth).toBeGreaterThanOrEqual(r.intervals.vendas[0].meanWidth);
    const m = r.monitoring.vendas;
    expect(m.rollingMae4w).toBeCloseTo(m.rollingMae[m.rollingMae.length - 1].mae, 12);
    expect(m.mapeByProduto.map((p) => p.produto)).toEqual([1, 2, 3]);
    expect(m.r2ByRegiao.map((p) => p.regiao)).toEqual([0, 1]);
  });
});

const skipReason = dunnhumbySkipReason();
if (skipReason) console.log(`skipping the dunnhumby backtest acceptance test: ${skipReason}`);

/** A baselines.json metric name → our MetricSet key (MAE → mae, n_points → nPoints, …). */
const OURS: Record<string, keyof MetricSet> = { n_points: 'nPoints', n_points_y_pos: 'nPointsPositive', n_series_mase: 'nSeriesMase' };
const oursOf = (theirs: string) => OURS[theirs] ?? (theirs.toLowerCase() as keyof MetricSet);

describe.skipIf(skipReason !== null)('backtest on dunnhumby (acceptance, issue 6)', () => {
  it("gives baselines.json's figures at the last origin to 1e-6 relative, through the backtest path", async () => {
    const ds = await loadWeekly(`${DUNNHUMBY_DIR}series.csv`);
    const expected = readBaselinesJson();
    const refs = backtestWindows(ds, { origins: 1, horizon: 26 });
    expect(refs).toHaveLength(expected.n_series);
    // The model does not matter for the baselines' rows; zeros stand in for it.
    const r = scoreBacktest({ ds, refs, horizon: 26, forecasts: refs.map(() => new Float64Array(2 * 26)) });
    expect(r.origins).toEqual([expected.test_window.first_date]);
    for (const method of ['snaive52', 'naive', 'mean52'] as const) {
      for (const channel of ['vendas', 'faturamento'] as const) {
        const got = r.methods[method][channel];
        const want = expected.methods[method][channel];
        const names = Object.keys(want).filter((k) => typeof want[k] === 'number');
        expect(names).toHaveLength(9);
        for (const theirs of names) {
          const ours = oursOf(theirs);
          // baselines.json writes sMAPE and MAPE in percent; ours are fractions
          const mine = ours === 'smape' || ours === 'mape' ? 100 * got[ours] : got[ours];
          const rel = Math.abs(mine - want[theirs]) / Math.abs(want[theirs]);
          expect(rel, `${method} ${channel} ${theirs}: ours ${got[ours]}, baselines.json ${want[theirs]}`).toBeLessThan(1e-6);
        }
      }
    }
  });
});
