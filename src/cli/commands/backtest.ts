/** `ttm backtest`: cross-validation with a model trained per cutoff, scored only on weeks after each cutoff. */
import type { Command } from 'commander';
import { join } from 'node:path';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { addBackendOption, startBackend } from '../backend-option.js';
import { addCsvOptions, sourceWithCsv } from '../csv-options.js';
import { addSourceOptions, DATA_HELP } from '../warehouse-options.js';
import { intOption, numberOption } from '../parse-flags.js';
import { addTrainingOptions, trainingOptions } from '../train-flags.js';
import { parseLevel } from '../levels.js';

export function register(program: Command): void {
  const cmd = program
    .command('backtest')
    .description('cross-validation: train a model per cutoff and score the weeks after each cutoff against the baselines')
    .option('--data <file|url>', DATA_HELP, DEFAULT_PATHS.data)
    .option('--windows <n>', 'number of cutoffs', '3')
    .option('--step <weeks>', 'weeks between cutoffs', '13')
    .option('--horizon <weeks>', 'weeks scored after each cutoff (the models\' horizon)', '26')
    .option('--no-refit', 'train one model at the earliest cutoff and let it forecast every cutoff')
    .option('--no-final-refit', 'keep each model as chosen on its validation weeks (ttm train --no-refit)')
    .option('--interval <level>', 'interval level whose coverage is reported (0.9 or 90)', '0.9');
  addTrainingOptions(cmd);
  addCsvOptions(cmd);
  addSourceOptions(cmd);
  addBackendOption(
    cmd
      .option('--allow-quality-issues', 'run even when a rule of ttm validate fails')
      .option('--out <dir>', 'where rows.csv, summary.json and the models go (default <results>/backtests/<time>)')
      .option('--results <dir>', 'results folder for the default --out', DEFAULT_PATHS.results)
      .option('--resume', 'reuse the models an interrupted backtest already wrote under --out')
      .option('--json', 'print the summary as one JSON document')
      .addHelpText('after', `
Writes <out>/rows.csv (one row per cutoff x series x step x channel: actual, ttm, the model alone,
median13, naive, snaive52, mean52, the ttm interval), <out>/summary.json (per cutoff, per horizon
step, per series, overall) and the models, one per cutoff, under <out>/models/.

Examples:
  $ ttm backtest --windows 3 --step 13 --horizon 26
  $ ttm backtest --windows 4 --step 4 --horizon 8 --epochs 10 --json | jq .by_cutoff
  $ ttm backtest --no-refit --windows 6 --step 2     one model, six cutoffs`),
  ).action(async (opts, cmd: Command) => {
    const { TRAIN_DEFAULTS, runBacktest } = await import('../../train/index.js');
    const out = await import('../output.js');
    const { loadTrainingData } = await import('../training-data.js');
    const shared = trainingOptions(opts, TRAIN_DEFAULTS);
    const windows = intOption('--windows', opts.windows, 1, 100);
    const step = intOption('--step', opts.step, 1);
    const horizon = intOption('--horizon', opts.horizon, 1);
    const level = parseLevel('--interval', opts.interval);
    const { source, csv } = await sourceWithCsv(opts, cmd);
    const dir = opts.out ?? join(opts.results, 'backtests', new Date().toISOString().replace(/[:.]/g, '-'));
    const dataset = await loadTrainingData(source, { csv, missing: shared.missing, context: shared.context, horizon, minContext: shared.minContext, allowQualityIssues: Boolean(opts.allowQualityIssues) });
    const backend = await startBackend(opts.backend);
    const { trainProgress } = await import('./train-progress.js');
    const progress = trainProgress(false);
    const result = await runBacktest({
      data: source,
      dataset,
      csv,
      missing: shared.missing,
      windows,
      step,
      horizon,
      refit: opts.refit !== false,
      level,
      work: dir,
      resume: Boolean(opts.resume),
      train: { ...TRAIN_DEFAULTS, ...shared, refit: opts.finalRefit !== false, resume: false, checkpointEverySteps: 0 },
      onEvent: (e) => {
        if (e.type === 'cutoff') out.status(`${out.paint.cyan(`cutoff ${e.index}/${e.of}:`)} ${e.cutoff}, ${e.trainWeeks} weeks and ${e.series} series before it${e.reused ? '; its model is already there (--resume)' : e.training ? '; training' : '; the earliest cutoff\'s model forecasts (--no-refit)'}`);
        else if (e.type === 'train') {
          if (e.event.type === 'epoch' || e.event.type === 'stop' || e.event.type === 'refit' || e.event.type === 'step') progress.onEvent(e.event);
        } else out.status(`scored ${e.windows} series after ${e.cutoff} (${e.seconds.toFixed(1)} s)`);
      },
    });
    progress.stop();
    const { writeFileAtomic } = await import('../../io/atomic-write.js');
    const { cvRowsCsv } = await import('../../evaluate/index.js');
    const { backtestDocument } = await import('../../evaluate/backtest-document.js');
    const doc = backtestDocument(result, { backend, data: opts.data, windows, step, horizon, refit: opts.refit !== false, out: dir });
    await writeFileAtomic(join(dir, 'rows.csv'), cvRowsCsv(result.rows, level));
    await writeFileAtomic(join(dir, 'summary.json'), `${JSON.stringify(doc, null, 2)}\n`);
    if (opts.json) out.printJson(doc);
    else {
      const { renderBacktest } = await import('./backtest-render.js');
      out.printLine(renderBacktest(doc));
    }
    out.status(`wrote ${join(dir, 'rows.csv')} (${result.rows.length} rows) and ${join(dir, 'summary.json')}; ${result.trained} model(s) in ${join(dir, 'models')}/ (${result.seconds.toFixed(0)} s)`);
  });
}
