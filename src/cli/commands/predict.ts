/** `ttm predict`: forecasts with calibrated intervals for one series, a list of pairs, or all series. */
import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { UsageError } from '../../errors.js';
import { addBackendOption, startBackend } from '../backend-option.js';
import { addForecastThreadsOption, startForecastPool } from '../forecast-threads.js';
import { choiceOption, intOption, numberOption } from '../parse-flags.js';
import { addSinkOptions, addSourceOptions, DATA_HELP, sinkFromFlags, sourceFromFlags } from '../warehouse-options.js';
import { addShardOptions, resolveShard, shardName, type ShardFlags } from '../shard-option.js';
import { registerMerge } from './predict-merge.js';

interface PredictFlags extends ShardFlags {
  produto?: string;
  regiao?: string;
  all?: boolean;
  pairs?: string;
  model: string;
  data: string;
  table?: string;
  query?: string;
  to?: string;
  toTable?: string;
  horizon?: string;
  interval: string;
  format?: string;
  json?: boolean;
  out?: string;
  plot?: string;
  backend?: string;
  threads?: string;
}

export function register(program: Command): void {
  const cmd = addBackendOption(addShardOptions(addForecastThreadsOption(addSinkOptions(addSourceOptions(
    program
      .command('predict')
      .description('forecast vendas and faturamento after the last week, with calibrated intervals')
      .option('--produto <code>', 'the series\' produto_cat value')
      .option('--regiao <code>', 'the series\' uf_cat value')
      .option('--all', 'every series, in one batched pass (CSV by default)')
      .option('--pairs <file>', 'CSV with produto_cat,uf_cat columns: those series (CSV by default)')
      .option('--model <dir>', 'trained model directory', DEFAULT_PATHS.model)
      .option('--data <file|url>', `weekly sales with the history: ${DATA_HELP}`, DEFAULT_PATHS.data)
      .option('--horizon <weeks>', 'weeks to report, 1 … the model\'s horizon')
      .option('--interval <levels>', 'interval levels, comma-separated', '0.9')
      .option('--format <kind>', 'table | json | csv (default: table for one series, csv for --all/--pairs)')
      .option('--json', 'same as --format json')
      .option('--out <file>', 'write the CSV or JSON to this file (atomically) instead of stdout')
      .option('--plot <file.svg>', 'SVG of the recent history, forecast and interval (one series)')),
    'the forecasts (one row per series and week, with model_version and run_at; upserted, one transaction; stdout stays empty unless --format, --json or --out asks)',
    'forecasts',
  ).addHelpText('after', `
Examples:
  $ ttm predict --produto 12 --regiao 3
  $ ttm predict --produto 12 --regiao 3 --interval 0.8,0.95 --json | jq '.series[0].predictions.vendas[0]'
  $ ttm predict --all --out forecasts.csv
  $ ttm predict --all --threads 1 --out forecasts.csv   one thread (same forecasts)
  $ ttm predict --all --data postgres://ttm@db.example/erp --table vendas_semanais --to postgres://ttm@db.example/erp --to-table forecasts
  $ ttm predict --all --shard 0/3 --out part-0.csv     (then: ttm predict merge part-*.csv --out forecasts.csv)`))),
  ).action(async (flags: PredictFlags, cmd: Command) => {
    const runAt = new Date();
    const many = Boolean(flags.all || flags.pairs);
    if (flags.all && flags.pairs) throw new UsageError('--all and --pairs exclude each other');
    if (!many && (flags.produto === undefined || flags.regiao === undefined)) {
      throw new UsageError('pass --produto and --regiao (or --all, or --pairs FILE)');
    }
    if (many && flags.plot) throw new UsageError('--plot draws one series: use it with --produto and --regiao');
    const format = flags.json ? 'json' : flags.format ? choiceOption('--format', flags.format, ['table', 'json', 'csv'] as const) : many ? 'csv' : 'table';
    const levels = flags.interval.split(',').map((x) => numberOption('--interval', x.trim(), 0.01, 0.999));
    const horizon = flags.horizon === undefined ? undefined : intOption('--horizon', flags.horizon, 1);
    if (!flags.all && (flags.shard !== undefined || flags.shards !== undefined)) throw new UsageError('--shard splits the series of --all: use it with --all');
    const shard = flags.all ? resolveShard(flags) : undefined;
    const key = many ? undefined : { produto: intOption('--produto', flags.produto!), regiao: intOption('--regiao', flags.regiao!) };
    const source = await sourceFromFlags(flags, cmd);
    const sink = await sinkFromFlags(flags);
    const toStdout = !sink || Boolean(flags.format || flags.json || flags.out);

    const backend = await startBackend(flags.backend);
    const [{ readObservations, shardItems }, { loadForecaster }, predict, out, render] = await Promise.all([
      import('../../data/index.js'),
      import('../../predict/load-forecaster.js'),
      import('../../predict/index.js'),
      import('../output.js'),
      import('./predict-render.js'),
    ]);
    const forecaster = await loadForecaster(flags.model);
    try {
      if (horizon !== undefined && horizon > forecaster.meta.horizon) {
        throw new UsageError(`--horizon ${horizon}: the model in ${flags.model} forecasts 1 … ${forecaster.meta.horizon} weeks`);
      }
      const ds = await readObservations(source);
      const which = flags.all
        ? shardItems(ds.series.map((_, i) => i), shard ?? { index: 0, count: 1 })
        : flags.pairs
          ? (await predict.readPairs(flags.pairs)).map((k) => predict.findSeries(ds, k))
          : [predict.findSeries(ds, key!)];
      if (flags.all && shard) out.status(`${shardName(shard)}: ${which.length} of ${ds.series.length} series`);
      const pool = await startForecastPool(flags.threads, forecaster.model, which.length);
      const result = await predict.predictSeries(forecaster, ds, which, { horizon, levels, strict: !many, pool }).finally(() => pool?.close());
      for (const s of result.skipped) out.warn(`skipped: ${s.reason}`);
      out.status(`${result.predictions.length} series x ${result.horizon} weeks in ${result.seconds.toFixed(2)} s (model ${result.modelSeconds.toFixed(2)} s)`);
      const text =
        format === 'csv'
          ? predict.predictionsCsv(result)
          : format === 'json'
            ? `${JSON.stringify(predict.predictDocument(result, { backend, model: flags.model, data: ds.file }), null, 2)}\n`
            : render.predictionsTable(result, ds);
      if (sink) {
        const { modelVersion } = await import('../../registry/index.js');
        const version = await modelVersion(flags.model);
        const w = await predict.writeForecasts(sink, result, { modelVersion: version, runAt, dataSource: ds.file }, sink.table);
        out.status(`wrote ${w.rows} rows to table ${w.table} on ${w.server} (model_version ${version})`);
      }
      if (flags.out) {
        const { writeFileAtomic } = await import('../../io/atomic-write.js');
        await writeFileAtomic(flags.out, text);
        out.status(`wrote ${flags.out}`);
      } else if (toStdout) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      if (flags.plot) {
        const { writeFileAtomic } = await import('../../io/atomic-write.js');
        await writeFileAtomic(flags.plot, render.predictionSvg(result, ds));
        out.status(`wrote ${flags.plot}`);
      }
    } finally {
      forecaster.model.dispose();
    }
  });
  registerMerge(cmd);
}
