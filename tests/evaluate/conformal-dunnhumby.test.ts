/** The interval method on real data: calibrated on the validation window (weeks 105-130, forecast
 *  from weeks 1-104), scored on the test window (131-156, from 1-130), nominal 90%. The point
 *  forecasts here are baselines; the model's own coverage is reported by `ttm evaluate`. */
import { describe, expect, it } from 'vitest';
import { BASELINES, coverage } from '../../src/evaluate/index.js';
import { calibrateConformal, conformalInterval } from '../../src/predict/index.js';
import { CHANNELS, dunnhumbySkipReason, readDunnhumbySeries } from './dunnhumby.js';

const H = 26;
const skipReason = dunnhumbySkipReason();
if (skipReason) console.log(`skipping the dunnhumby coverage test: ${skipReason}`);

describe.skipIf(skipReason !== null)('conformal intervals on dunnhumby', () => {
  const series = skipReason ? [] : readDunnhumbySeries();

  for (const method of ['mean52', 'snaive52'] as const) {
    for (const channel of CHANNELS) {
      it(`covers 85-95% of the test weeks at nominal 90% around ${method} ${channel}`, () => {
        const window = (end: number) =>
          series.map((s) => {
            const history = s[channel].slice(0, end);
            return { history, actual: s[channel].slice(end, end + H), forecast: BASELINES[method](history, H) };
          });
        const cal = calibrateConformal(window(104));
        const test = window(130);
        const actual: number[] = [];
        const lower: number[] = [];
        const upper: number[] = [];
        for (const w of test) {
          const iv = conformalInterval(cal, w.forecast, w.history, 0.9);
          actual.push(...w.actual);
          lower.push(...iv.lower);
          upper.push(...iv.upper);
        }
        const cov = coverage(actual, lower, upper);
        expect(cov, `${method} ${channel}: ${cov}`).toBeGreaterThanOrEqual(0.85);
        expect(cov, `${method} ${channel}: ${cov}`).toBeLessThanOrEqual(0.95);
      });
    }
  }
});
