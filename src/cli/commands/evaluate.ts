/** `ttm evaluate`: backtest against the baselines, coverage, drift and alerts; exit 7 when an alert fires. */
import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { EXIT, UsageError } from '../../errors.js';
import { addBackendOption, startBackend } from '../backend-option.js';
import { addForecastThreadsOption, startForecastPool } from '../forecast-threads.js';
import { intOption, numberOption } from '../parse-flags.js';
import { addSinkOptions, addSourceOptions, DATA_HELP, sinkFromFlags, sourceFromFlags } from '../warehouse-options.js';
import { addShardOptions, resolveShard, shardName, type ShardFlags } from '../shard-option.js';
import { accuracyLine, writeMetricsFile } from './evaluate-ops.js';

interface EvaluateFlags extends ShardFlags {
  metricsFile?: string;
  model: string;
  data: string;
  table?: string;
  query?: string;
  to?: string;
  toTable?: string;
  results: string;
  origins: string;
  interval: string;
  thresholds?: string;
  report?: string;
  json?: boolean;
  save: boolean;
  backend?: string;
  threads?: string;
}

export function register(program: Command): void {
  addBackendOption(addShardOptions(addForecastThreadsOption(addSinkOptions(addSourceOptions(
    program
      .command('evaluate')
      .description('rolling-origin backtest of the model vs seasonal naive, naive and mean-52; drift and alerts (exit 7 = alert)')
      .option('--model <dir>', 'trained model directory', DEFAULT_PATHS.model)
      .option('--data <file|url>', DATA_HELP, DEFAULT_PATHS.data)
      .option('--origins <n>', 'forecast origins: the last N weeks that start a full horizon', '4')
      .option('--interval <levels>', 'interval levels whose coverage is reported, comma-separated', '0.9')
      .option('--thresholds <file>', 'JSON with any of mape, wape, psi, errorRate, latencySeconds (null turns one off)')
      .option('--report <file>', 'also write an SVG (per-region plots) or HTML report, by extension')
      .option('--results <dir>', 'the report is saved under <dir>/evaluations/', DEFAULT_PATHS.results)
      .option('--no-save', 'do not save the report under results')
      .option('--json', 'print the report as one JSON document')
      .option('--metrics-file <file.prom>', 'also write the figures for node_exporter\'s textfile collector (atomically)')),
    "the report's figures (one row per method, channel and metric, with model_version and run_at; upserted, one transaction)",
    'evaluation_figures',
  ).addHelpText('after', `
Examples:
  $ ttm evaluate                                  table; exit 0 healthy, 7 when an alert fires
  $ ttm evaluate --origins 8 --json | jq .alerts
  $ ttm evaluate --thresholds thresholds.json --report evaluation.html
  $ ttm evaluate --threads 1                      one thread (same report)
  $ ttm evaluate --data postgres://ttm@db.example/erp --table vendas_semanais --to postgres://ttm@db.example/erp
  $ ttm evaluate --metrics-file /var/lib/node_exporter/textfile/ttm-evaluation.prom
  $ ttm evaluate --shard 1/4                      a quarter of the series (K counted from 0)`))),
  ).action(async (flags: EvaluateFlags, cmd: Command) => {
    const runAt = new Date();
    const origins = intOption('--origins', flags.origins, 1, 520);
    const levels = flags.interval.split(',').map((x) => numberOption('--interval', x.trim(), 0.01, 0.999));
    const shard = resolveShard(flags);
    if (flags.report && !/\.(svg|html?)$/i.test(flags.report)) throw new UsageError(`--report ${flags.report}: expected a .svg or .html file`);
    const source = await sourceFromFlags(flags, cmd);
    const sink = await sinkFromFlags(flags);
    const backend = await startBackend(flags.backend);
    const [{ readObservations, formatDay, shardDataset }, { loadForecaster }, ev, { readThresholds, DEFAULT_THRESHOLDS }, out, { renderEvaluation }] = await Promise.all([
      import('../../data/index.js'),
      import('../../predict/load-forecaster.js'),
      import('../../evaluate/index.js'),
      import('../../config/thresholds.js'),
      import('../output.js'),
      import('./evaluate-render.js'),
    ]);
    const thresholds = flags.thresholds ? await readThresholds(flags.thresholds) : DEFAULT_THRESHOLDS;
    const forecaster = await loadForecaster(flags.model);
    try {
      const all = await readObservations(source);
      const ds = shard ? shardDataset(all, shard) : all;
      if (shard) out.status(`${shardName(shard)}: ${ds.series.length} of ${all.series.length} series`);
      out.status(`evaluating ${flags.model} on ${ds.file}: ${ds.series.length} series, last ${origins} origin(s)`);
      const pool = await startForecastPool(flags.threads, forecaster.model, ds.series.length * origins);
      const evaluation = await ev
        .evaluateForecaster(forecaster, ds, { origins, levels, thresholds, pool, source: { model: flags.model, data: ds.file } })
        .finally(() => pool?.close());
      const report = shard ? { ...evaluation.report, shard: { index: shard.index, count: shard.count } } : evaluation.report;
      if (report.backtest.windows === 0) out.warn('no window to score: every series needs a season (52 weeks) of history and a full horizon after the origin');
      if (report.held_out_share < 1) out.warn(`${(100 * (1 - report.held_out_share)).toFixed(0)}% of the scored weeks are not after the model's training data (trained through ${report.trained_through}): figures are optimistic`);
      const saved = flags.save ? await ev.saveEvaluation(flags.results, report) : null;
      if (sink) {
        const { modelVersion } = await import('../../registry/index.js');
        const version = await modelVersion(flags.model);
        const dataThrough = formatDay(ds.firstWeek + 7 * (ds.weeks - 1));
        const w = await ev.writeEvaluation(sink, report, { modelVersion: version, runAt, dataSource: ds.file, dataThrough }, sink.table);
        out.status(`wrote ${w.rows} figures to table ${w.table} on ${w.server} (model_version ${version})`);
      }
      if (flags.report) {
        const { writeFileAtomic } = await import('../../io/atomic-write.js');
        await writeFileAtomic(flags.report, /\.svg$/i.test(flags.report) ? ev.evaluationSvg(evaluation) : ev.evaluationHtml(evaluation));
      }
      if (flags.json) out.printJson({ backend, ...report, saved });
      else out.printLine(renderEvaluation(report, out.formatTable));
      out.status(accuracyLine(report, shard && `${shard.index}/${shard.count}`));
      if (flags.metricsFile) {
        await writeMetricsFile(flags.metricsFile, evaluation, shard && `${shard.index}/${shard.count}`);
        out.status(`wrote ${flags.metricsFile}`);
      }
      if (saved) out.status(`saved ${saved}`);
      if (flags.report) out.status(`wrote ${flags.report}`);
      if (!report.healthy) process.exitCode = EXIT.alertFired;
    } finally {
      forecaster.model.dispose();
    }
  });
}
