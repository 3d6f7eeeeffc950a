/**
 * The optional report file of `ttm evaluate`: an SVG of per-region panels (actuals, forecast and
 * interval at the last origin) for one channel, or an HTML page with the metrics side by side,
 * the alerts and the panels of every channel.
 */
import type { Evaluation } from './evaluate-run.js';
import { escapeXml, reportSvg } from './report-svg.js';

/** SVG panels of one channel (default the first). */
export function evaluationSvg(e: Evaluation, channel = e.report.backtest.channels[0]): string {
  const origin = e.report.backtest.origins[e.report.backtest.origins.length - 1] ?? '';
  return reportSvg(e.panels[channel] ?? [], { title: `ttm evaluate: ${channel} per regiao, forecast from ${origin}`, channel });
}

const num = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(4)) : '–');

/** A self-contained HTML page. */
export function evaluationHtml(e: Evaluation): string {
  const r = e.report;
  const b = r.backtest;
  const keys = ['mae', 'rmse', 'wape', 'smape', 'mape', 'mase', 'bias'] as const;
  const tables = b.channels.map((ch) => {
    const rows = Object.entries(b.methods).map(
      ([m, byCh]) => `<tr><td>${escapeXml(m)}</td>${keys.map((k) => `<td>${num(byCh[ch][k])}</td>`).join('')}</tr>`,
    );
    const cov = b.intervals[ch].map((i) => `${(100 * i.level).toFixed(0)}%: ${(100 * i.coverage).toFixed(1)}%`).join(', ');
    return `<h2>${escapeXml(ch)}</h2><table><tr><th>method</th>${keys.map((k) => `<th>${k}</th>`).join('')}</tr>${rows.join('')}</table>
<p>interval coverage ${escapeXml(cov || 'n/a')}; PSI ${num(r.drift[ch]?.psi ?? NaN)}; rolling 4-week MAE ${num(b.monitoring[ch].rollingMae4w)}</p>
${evaluationSvg(e, ch)}`;
  });
  const alerts = r.alerts.length ? `<ul>${r.alerts.map((a) => `<li>${escapeXml(a.message)}</li>`).join('')}</ul>` : '<p>healthy: no alert fired</p>';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>ttm evaluate</title>
<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}td:first-child,th:first-child{text-align:left}</style>
</head><body>
<h1>ttm evaluate</h1>
<p>data ${escapeXml(r.data)}; model ${escapeXml(r.model ?? '')} (trained through ${escapeXml(r.trained_through)}); origins ${escapeXml(b.origins.join(', '))};
${b.windows} windows of ${b.horizon} weeks over ${b.series} series; error rate ${(100 * b.errorRate).toFixed(1)}%; ${r.latency.seconds_per_batch.toFixed(3)} s per batch</p>
${alerts}
${tables.join('\n')}
</body></html>
`;
}
