/**
 * `ttm demo`: the whole path on the embedded default — synthesise, validate, train, evaluate,
 * forecast — each step announced with the command that does it alone.
 */
import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { addBackendOption, startBackend } from '../backend-option.js';
import { intOption } from '../parse-flags.js';

/**
 * Short training for the demo: a window every 8 weeks of each series (10,800 an epoch instead of
 * ~82,000 with stride 1), at most 3 epochs (35-46 s each on 2 cores with wasm; the demo takes
 * ~2 min). On the default data the best validation loss comes at epoch 1-2 anyway, and the blend with the robust median
 * keeps the forecast ahead of the seasonal naive (WAPE skill ~0.2).
 */
export const DEMO_TRAINING = { epochs: 3, stride: 8, patience: 2 } as const;

interface DemoFlags {
  data: string;
  model: string;
  results: string;
  products: string;
  epochs: string;
  stride: string;
  backend?: string;
}

export function register(program: Command): void {
  addBackendOption(
    program
      .command('demo')
      .description('synthesise 150 x 6 weekly sales, validate, train, evaluate and forecast (a few minutes)')
      .option('--data <file>', 'where the synthetic data goes', DEFAULT_PATHS.data)
      .option('--model <dir>', 'where the trained model goes', DEFAULT_PATHS.model)
      .option('--results <dir>', 'checkpoints, logs and evaluations', DEFAULT_PATHS.results)
      .option('--products <n>', 'products to synthesise (x 6 UFs)', '150')
      .option('--epochs <n>', 'training epochs', String(DEMO_TRAINING.epochs))
      .option('--stride <weeks>', 'weeks between training windows of a series', String(DEMO_TRAINING.stride)),
  ).action(async (flags: DemoFlags) => {
    const products = intOption('--products', flags.products, 1);
    const epochs = intOption('--epochs', flags.epochs, 1);
    const stride = intOption('--stride', flags.stride, 1);
    const t0 = performance.now();
    const backend = await startBackend(flags.backend);
    const [data, { trainModel, TRAIN_DEFAULTS }, { loadForecaster }, ev, predict, out, { trainProgress }, { renderEvaluation }, { predictionsTable }] = await Promise.all([
      import('../../data/index.js'),
      import('../../train/index.js'),
      import('../../predict/load-forecaster.js'),
      import('../../evaluate/index.js'),
      import('../../predict/index.js'),
      import('../output.js'),
      import('./train-progress.js'),
      import('./evaluate-render.js'),
      import('./predict-render.js'),
    ]);
    const step = (n: number, what: string, command: string) => out.status(`\n${out.paint.bold(`[${n}/5] ${what}`)}  ${out.paint.dim(`(alone: ${command})`)}`);

    step(1, `synthesising ${products} produtos x 6 UFs x 156 weeks`, `ttm synth --out ${flags.data} --products ${products}`);
    const synth = await data.writeSynth(flags.data, { ...data.SYNTH_DEFAULTS, products });
    out.status(`wrote ${flags.data}: ${synth.rows} rows, ${synth.series} series`);

    const ds = await data.loadWeekly(flags.data);
    const asOf = data.formatDay(ds.firstWeek + 7 * ds.weeks);
    step(2, `validating as of ${asOf}, the day after the data's last week`, `ttm validate --data ${flags.data} --as-of ${asOf}`);
    const validation = data.validate(ds, { asOf: ds.firstWeek + 7 * ds.weeks });
    for (const r of validation.rules) out.status(`  ${r.rule.padEnd(13)} ${r.passed ? 'pass' : out.paint.red('FAIL')}  ${r.summary}`);
    if (!validation.passed) out.warn('a data-quality rule failed; the demo goes on (ttm validate would exit 6)');

    step(3, `training a fresh model: ${epochs} epochs, a window every ${stride} weeks`, `ttm train --data ${flags.data} --epochs ${epochs} --stride ${stride} --patience ${DEMO_TRAINING.patience}`);
    const progress = trainProgress(false);
    try {
      await trainModel({ ...TRAIN_DEFAULTS, data: flags.data, output: flags.model, results: flags.results, epochs, stride, patience: DEMO_TRAINING.patience, onEvent: progress.onEvent });
    } finally {
      progress.stop();
    }

    step(4, 'evaluating against seasonal naive, naive and mean-52 over the last 4 origins', `ttm evaluate --model ${flags.model} --data ${flags.data}`);
    const forecaster = await loadForecaster(flags.model);
    try {
      const evaluation = await ev.evaluateForecaster(forecaster, ds, { origins: 4, source: { model: flags.model, data: flags.data } });
      const saved = await ev.saveEvaluation(flags.results, evaluation.report);
      out.printLine(renderEvaluation(evaluation.report, out.formatTable));
      out.printLine('(the scored weeks are the model\'s validation weeks; evaluate new weeks for an unbiased figure)');

      const best = ds.series.filter((s) => s.regiao === ds.series[0].regiao).reduce((a, s) => (s.values[0].reduce((x, y) => x + y, 0) > a.values[0].reduce((x, y) => x + y, 0) ? s : a));
      step(5, `forecasting produto ${best.produto}, regiao ${best.regiao} (the best seller there)`, `ttm predict --produto ${best.produto} --regiao ${best.regiao} --interval 0.8,0.95`);
      const result = await predict.predictSeries(forecaster, ds, [predict.findSeries(ds, best)], { levels: [0.8, 0.95], strict: true });
      out.printLine('');
      out.printLine(predictionsTable(result, ds));
      out.printLine('');
      out.printLine(`wrote: ${flags.data} (data), ${flags.model}/ (model: config.json, model.safetensors, preprocessor.json, forecaster.json, training_args.json, metrics.json), ${flags.results}/ (checkpoints, metrics log), ${saved} (evaluation)`);
      out.status(`demo done in ${((performance.now() - t0) / 1000).toFixed(0)} s on ${backend}`);
    } finally {
      forecaster.model.dispose();
    }
  });
}
