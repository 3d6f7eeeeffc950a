/**
 * The figures of an evaluation in Prometheus' text format, for node_exporter's textfile collector
 * (`ttm evaluate --metrics-file DIR/ttm-evaluation.prom`): the alert rules in
 * deploy/prometheus/alerts.yml and the Grafana dashboards read them. Ratios are fractions (MAPE
 * too, though the report states it in percent); every gauge is per channel where the report is.
 * A figure the report could not compute (NaN: e.g. MAPE without a week of sales) is left out
 * rather than written as NaN, so "absent" and "bad" stay apart in PromQL.
 *
 *   ttm_evaluation_mape{channel}               MAPE of the model on the backtest, fraction
 *   ttm_evaluation_wape{channel}               WAPE, fraction
 *   ttm_evaluation_bias{channel}               mean (forecast - actual), channel units
 *   ttm_evaluation_interval_coverage{channel,level}
 *   ttm_evaluation_drift_psi{channel}          PSI of the latest inputs vs training
 *   ttm_evaluation_drift_mean_shift{channel}   latest mean / training mean - 1
 *   ttm_evaluation_error_rate                  share of series whose forecast failed
 *   ttm_evaluation_latency_seconds             model time per forecast batch
 *   ttm_evaluation_actual{channel,regiao}       actuals over the last origin's horizon
 *   ttm_evaluation_forecast{channel,regiao}     forecasts of the same weeks
 *   ttm_evaluation_series, ttm_evaluation_windows, ttm_evaluation_alerts, ttm_evaluation_healthy
 *   ttm_evaluation_timestamp_seconds           when the report was made
 *
 * With a shard, every series carries shard="K/N", so the files of an Indexed Job's pods can sit
 * side by side in the collector's directory.
 */
import { Gauge, Registry } from 'prom-client';
import type { Evaluation } from './evaluate-run.js';

export interface TextfileOptions {
  /** e.g. "2/7" */
  shard?: string;
}

/** The exposition text (ends with a newline). */
export async function evaluationTextfile(e: Evaluation, o: TextfileOptions = {}): Promise<string> {
  const r = e.report;
  const b = r.backtest;
  const registry = new Registry();
  if (o.shard) registry.setDefaultLabels({ shard: o.shard });
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const set = (g: Gauge, value: number, labels: Record<string, string> = {}) => {
    if (Number.isFinite(value)) g.set(labels, value);
  };

  const mape = gauge('ttm_evaluation_mape', 'MAPE of the model on the backtest (fraction, weeks with sales > 0)', ['channel']);
  const wape = gauge('ttm_evaluation_wape', 'WAPE of the model on the backtest (fraction)', ['channel']);
  const bias = gauge('ttm_evaluation_bias', 'mean (forecast - actual) on the backtest, in the channel\'s units', ['channel']);
  const coverage = gauge('ttm_evaluation_interval_coverage', 'share of backtest weeks inside the interval', ['channel', 'level']);
  const psi = gauge('ttm_evaluation_drift_psi', 'input drift: PSI of the latest context windows against the training data', ['channel']);
  const shift = gauge('ttm_evaluation_drift_mean_shift', 'latest mean / training mean - 1', ['channel']);
  for (const ch of b.channels) {
    const m = b.methods.ttm?.[ch];
    if (m) {
      set(mape, m.mape / 100, { channel: ch });
      set(wape, m.wape, { channel: ch });
      set(bias, m.bias, { channel: ch });
    }
    for (const iv of b.intervals[ch] ?? []) set(coverage, iv.coverage, { channel: ch, level: String(iv.level) });
    const d = r.drift[ch];
    if (d) {
      set(psi, d.psi, { channel: ch });
      set(shift, d.meanShift, { channel: ch });
    }
  }
  set(gauge('ttm_evaluation_error_rate', 'share of series whose forecast failed in the backtest'), b.errorRate);
  set(gauge('ttm_evaluation_latency_seconds', 'model time per forecast batch in the backtest'), r.latency.seconds_per_batch);

  const actual = gauge('ttm_evaluation_actual', 'actuals summed over the last origin\'s horizon, per regiao', ['channel', 'regiao']);
  const forecast = gauge('ttm_evaluation_forecast', 'forecasts of the same weeks, summed, per regiao', ['channel', 'regiao']);
  for (const [ch, panels] of Object.entries(e.panels)) {
    for (const p of panels) {
      let a = 0;
      let f = 0;
      for (let k = 0; k < p.forecast.length; k++) {
        if (Number.isFinite(p.forecast[k]) && Number.isFinite(p.actual[k])) {
          a += p.actual[k];
          f += p.forecast[k];
        }
      }
      set(actual, a, { channel: ch, regiao: String(p.regiao) });
      set(forecast, f, { channel: ch, regiao: String(p.regiao) });
    }
  }
  set(gauge('ttm_evaluation_series', 'series in the backtest'), b.series);
  set(gauge('ttm_evaluation_windows', 'windows scored in the backtest'), b.windows);
  set(gauge('ttm_evaluation_alerts', 'alerts the evaluation fired (ttm evaluate exits 7 when > 0)'), r.alerts.length);
  set(gauge('ttm_evaluation_healthy', '1 when no alert fired, else 0'), r.healthy ? 1 : 0);
  set(gauge('ttm_evaluation_timestamp_seconds', 'when the evaluation report was made (Unix time)'), Date.parse(r.created) / 1000);
  return registry.metrics();
}
