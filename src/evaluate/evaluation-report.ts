/**
 * The optional report file of `ttm evaluate`: an SVG of per-region panels (actuals, forecast and
 * interval at the last origin) for one channel, or an HTML page with the metrics side by side,
 * the alerts and the panels of every channel.
 */
import type { Evaluation } from './evaluate-run.js';
import { escapeXml, reportSvg } from './report-svg.js';
import { columnFormat, percent } from './number-format.js';

/** SVG panels of one channel (default the first). */
export function evaluationSvg(e: Evaluation, channel = e.report.backtest.channels[0]): string {
  const origin = e.report.backtest.origins[e.report.backtest.origins.length - 1] ?? '';
  return reportSvg(e.panels[channel] ?? [], {
    title: `ttm evaluate: ${channel} per regiao, forecast from ${origin}`,
    channel,
    note: 'no interval band: per-series intervals do not add up to an interval of the regional total',
  });
}

const num = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(4)) : '–');

/** A self-contained HTML page. */
export function evaluationHtml(e: Evaluation): string {
  const r = e.report;
  const b = r.backtest;
  // The terminal's table: ratios as percentages, the other columns one number format each.
  const keys = ['mae', 'rmse', 'wape', 'smape', 'mape', 'mase', 'bias'] as const;
  const heads: Record<(typeof keys)[number], string> = { mae: 'MAE', rmse: 'RMSE', wape: 'WAPE', smape: 'sMAPE', mape: 'MAPE', mase: 'MASE', bias: 'bias' };
  const ratios = new Set(['wape', 'smape', 'mape']);
  const tables = b.channels.map((ch) => {
    const methods = Object.entries(b.methods);
    const fmt = Object.fromEntries(keys.map((k) => [k, ratios.has(k) ? percent : columnFormat(methods.map(([, byCh]) => byCh[ch][k]))]));
    const rows = methods.map(([m, byCh]) => `<tr><td>${escapeXml(m)}</td>${keys.map((k) => `<td>${fmt[k](byCh[ch][k])}</td>`).join('')}</tr>`);
    const skill = Object.entries(b.skill[ch]).map(([base, s]) => `<tr><td>skill vs ${escapeXml(base)}</td>${keys.map((k) => `<td>${k in s ? percent((s as Record<string, number>)[k]) : ''}</td>`).join('')}</tr>`);
    const cov = b.intervals[ch].map((i) => `${percent(i.level)} interval covers ${percent(i.coverage)}`).join(', ');
    return `<h2>${escapeXml(ch)}</h2><table><tr><th>method</th>${keys.map((k) => `<th>${heads[k]}</th>`).join('')}</tr>${rows.join('')}${skill.join('')}</table>
<p>${escapeXml(cov || 'no interval')}; PSI ${num(r.drift[ch]?.psi ?? NaN)}; rolling 4-week MAE ${num(b.monitoring[ch].rollingMae4w)}</p>
${evaluationSvg(e, ch)}`;
  });
  const kind =
    r.kind === 'held_out'
      ? '<p class="kind">Held-out evaluation: every scored week came after the model\'s training (the honest weekly check).</p>'
      : `<p class="warning"><strong>${r.kind === 'in_sample' ? 'In-sample' : 'Partly in-sample'} evaluation:</strong> ${percent(1 - r.held_out_share)} of the scored weeks were in the model's training data (trained through ${escapeXml(r.trained_through)}): these figures are optimistic. <code>ttm train --holdout</code> or <code>ttm backtest</code> give honest ones.</p>`;
  const alerts = r.alerts.length ? `<ul>${r.alerts.map((a) => `<li>${escapeXml(a.message)}</li>`).join('')}</ul>` : '<p>healthy: no alert fired</p>';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>ttm evaluate</title>
<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}td:first-child,th:first-child{text-align:left}.warning{background:#fff4d6;padding:.5em;border-left:4px solid #e0a000}</style>
</head><body>
<h1>ttm evaluate</h1>
<p>data ${escapeXml(r.data)}; model ${escapeXml(r.model ?? '')} (trained through ${escapeXml(r.trained_through)}); origins ${escapeXml(b.origins.join(', '))};
${b.windows} windows of ${b.horizon} weeks over ${b.series} series; error rate ${percent(b.errorRate)}; ${r.latency.seconds_per_batch.toFixed(3)} s per batch</p>
${kind}
${alerts}
${tables.join('\n')}
</body></html>
`;
}
