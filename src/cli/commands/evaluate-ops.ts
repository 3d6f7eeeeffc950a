/**
 * What `ttm evaluate` adds for operations: the one log line a runbook greps for ("accuracy"),
 * and the --metrics-file for node_exporter's textfile collector.
 */
import type { Evaluation, EvaluationReport } from '../../evaluate/index.js';

const frac = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/**
 * `accuracy: vendas wape=0.440 mape=0.321, faturamento wape=… mape=…; error_rate=0.000;
 * drift_psi vendas=0.021 faturamento=0.034; healthy` (or `ALERT mape, psi`): one line, fractions,
 * so `kubectl logs … | grep accuracy` shows the model's health at a glance.
 */
export function accuracyLine(r: EvaluationReport, shard?: string): string {
  const b = r.backtest;
  const per = b.channels.map((ch) => {
    const m = b.methods.ttm?.[ch];
    return `${ch} wape=${frac(m?.wape ?? NaN)} mape=${frac((m?.mape ?? NaN) / 100)}`;
  });
  const drift = b.channels.map((ch) => `${ch}=${frac(r.drift[ch]?.psi ?? NaN)}`);
  const verdict = r.healthy ? 'healthy' : `ALERT ${[...new Set(r.alerts.map((a) => a.name))].join(', ')}`;
  return `accuracy${shard ? ` (shard ${shard})` : ''}: ${per.join(', ')}; error_rate=${frac(b.errorRate)}; drift_psi ${drift.join(' ')}; ${b.windows} windows, ${b.series} series; ${verdict}`;
}

/** Writes the evaluation's figures to `file` atomically (node_exporter reads only *.prom files). */
export async function writeMetricsFile(file: string, e: Evaluation, shard?: string): Promise<void> {
  const [{ evaluationTextfile }, { writeFileAtomic }] = await Promise.all([import('../../evaluate/index.js'), import('../../io/atomic-write.js')]);
  await writeFileAtomic(file, await evaluationTextfile(e, { shard }));
}
