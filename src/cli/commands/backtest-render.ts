/** The tables `ttm backtest` prints for people (summary.json and rows.csv hold everything). */
import type { BacktestDocument } from '../../evaluate/backtest-document.js';
import { formatTable } from '../output.js';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–');
const wape = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '–');

export function renderBacktest(d: BacktestDocument): string {
  const lines = [
    `cross-validation of ${d.data}: ${d.by_cutoff.length} cutoff(s) ${d.step} weeks apart, ${d.horizon} weeks scored after each, ${d.refit ? 'a model trained per cutoff' : 'one model trained at the earliest cutoff'}; only weeks after each cutoff are scored`,
  ];
  for (const ch of d.channels) {
    lines.push('', `${ch}: WAPE per cutoff`);
    const rows = d.by_cutoff.map((k) => [k.cutoff, `${k.first_week} … ${k.last_week}`, k.series, wape(k.scores.ttm[ch].wape), wape(k.scores.ttm_model_only[ch].wape), wape(k.scores.median13[ch].wape), wape(k.scores.naive[ch].wape), wape(k.scores.snaive52[ch].wape), pct(k.coverage[ch])]);
    const o = d.overall;
    rows.push(['all', '', d.by_cutoff.reduce((a, k) => a + k.series, 0), wape(o.ttm[ch].wape), wape(o.ttm_model_only[ch].wape), wape(o.median13[ch].wape), wape(o.naive[ch].wape), wape(o.snaive52[ch].wape), '']);
    lines.push(formatTable(['cutoff', 'scored weeks', 'series', 'ttm', 'model alone', 'median13', 'naive', 'snaive52', `${Math.round(100 * d.level)}% coverage`], rows));
    const steps = d.by_step.filter((s) => s.step === 1 || s.step % 4 === 0 || s.step === d.horizon);
    lines.push(`WAPE by step (ttm / median13): ${steps.map((s) => `${s.step}: ${wape(s.wape.ttm[ch])} / ${wape(s.wape.median13[ch])}`).join(', ')}`);
  }
  return lines.join('\n');
}
