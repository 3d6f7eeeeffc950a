/** The table `ttm evaluate` prints for people (the JSON report holds everything). */
import type { EvaluationReport } from '../../evaluate/index.js';

type Table = (header: string[], rows: (string | number)[][]) => string;

import { percent as pct } from '../../evaluate/number-format.js';

const num = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)) : '–');

export function renderEvaluation(r: EvaluationReport, table: Table): string {
  const b = r.backtest;
  const kind = r.kind === 'held_out' ? 'held-out evaluation (every scored week came after the model\'s training: the honest weekly check)' : r.kind === 'in_sample' ? 'IN-SAMPLE evaluation (the model trained on every scored week: figures are optimistic)' : 'partly in-sample evaluation (some scored weeks were in the model\'s training: figures are optimistic)';
  const lines = [
    kind,
    `backtest: ${b.origins.length} origin(s) ${b.origins[0] ?? ''} … ${b.origins[b.origins.length - 1] ?? ''}, ${b.horizon} weeks each; ${b.windows} windows over ${b.series} series; model trained through ${r.trained_through} (${pct(r.held_out_share)} of scored weeks after it)`,
  ];
  for (const ch of b.channels) {
    const rows = Object.entries(b.methods).map(([m, byCh]) => {
      const s = byCh[ch];
      return [m, s.mae, s.rmse, pct(s.wape), pct(s.smape), pct(s.mape), s.mase, s.bias];
    });
    lines.push('', `${ch}`, table(['method', 'MAE', 'RMSE', 'WAPE', 'sMAPE', 'MAPE', 'MASE', 'bias'], rows));
    const sk = Object.entries(b.skill[ch]).map(([base, s]) => `${base} ${pct(s.wape)} WAPE, ${pct(s.mase)} MASE`);
    lines.push(`skill of ttm vs ${sk.join('; ')}`);
    const spread = (xs: number[]) => {
      const s = [...xs].sort((x, y) => x - y);
      return s.length ? `per step ${pct(s[0])} / ${pct(s[(s.length - 1) >> 1])} / ${pct(s[s.length - 1])} min/median/max` : '';
    };
    const iv = b.intervals[ch].map((i) => `${pct(i.level)} interval covers ${pct(i.coverage)} (${spread(i.coverage_by_step)}; mean width ${num(i.meanWidth)})`);
    if (iv.length) lines.push(iv.join('; '));
    const peak = b.peak_weeks[ch];
    if (peak && peak.ttm.n_points > 0) lines.push(`peak weeks (Black Friday, 2 weeks before Christmas; ${peak.ttm.n_points} points): WAPE ${Object.entries(peak).map(([m, p]) => `${m} ${pct(p.wape)}`).join(', ')}`);
    const m = b.monitoring[ch];
    const worst = [...m.mapeByProduto].filter((p) => Number.isFinite(p.mape)).sort((x, y) => y.mape - x.mape).slice(0, 3);
    lines.push(`rolling 4-week MAE ${num(m.rollingMae4w)}; R2 per regiao ${m.r2ByRegiao.map((x) => `${x.regiao}: ${num(x.r2)}`).join(', ')}`);
    lines.push(`highest MAPE per produto: ${worst.map((p) => `${p.produto} ${pct(p.mape)}`).join(', ') || '–'}`);
    lines.push(`drift: PSI ${num(r.drift[ch]?.psi ?? NaN)}, mean shift ${pct(r.drift[ch]?.meanShift ?? NaN)}`);
  }
  lines.push('', `error rate ${pct(b.errorRate)} (${b.failedSeries} of ${b.series} series failed); latency ${r.latency.seconds_per_batch.toFixed(3)} s per batch of up to ${r.latency.batch_size} windows`);
  if (r.alerts.length === 0) lines.push('healthy: no alert fired');
  else lines.push(`ALERTS (${r.alerts.length}):`, ...r.alerts.map((a) => `  - ${a.message}`));
  return lines.join('\n');
}
