import { SCHEMA_VERSION } from '../../config/schema-version.js';
import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { UsageError } from '../../errors.js';
import { addBackendOption, startBackend } from '../backend-option.js';
import { addCsvOptions, sourceWithCsv } from '../csv-options.js';
import { intOption } from '../parse-flags.js';
import { addTrainingOptions, trainingOptions } from '../train-flags.js';
import { printJson, printLine, status, paint } from '../output.js';
import { addSourceOptions, DATA_HELP } from '../warehouse-options.js';

export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description('fine-tune or train a TinyTimeMixer on weekly sales; writes the final model and checkpoints')
    .option('--data <file|url>', `weekly CSV: date, produto_cat, uf_cat, vendas, faturamento; ${DATA_HELP}`, DEFAULT_PATHS.data)
    .option('--horizon <weeks>', 'weeks to forecast', '26');
  addSourceOptions(cmd);
  addTrainingOptions(cmd);
  addCsvOptions(cmd);
  addBackendOption(
    cmd
      .option('--holdout <weeks>', 'leave the last N weeks out of training (ttm evaluate then scores them honestly)')
      .option('--until <date>', 'train on weeks starting on or before YYYY-MM-DD only')
      .option('--allow-quality-issues', 'train even when a rule of ttm validate fails (says what training does with each problem)')
      .option('--no-refit', 'keep the model chosen on validation instead of training it again on every week')
      .option('--output <dir>', 'final model directory', DEFAULT_PATHS.model)
      .option('--results <dir>', 'checkpoints and logs', DEFAULT_PATHS.results)
      .option('--resume', 'continue the last run from its newest checkpoint')
      .option('--checkpoint-every <steps>', 'also checkpoint every N steps inside an epoch', '200')
      .option('--register', 'register the trained model as the next version of the model registry (ttm models)')
      .option('--registry <dir>', `registry for --register (env TTM_REGISTRY; default ${DEFAULT_PATHS.registry})`)
      .option('--promote', 'with --register: also make the new version active')
      .option('--json', 'JSON Lines events on stdout, the last line the result')
      .addHelpText('after', `
Examples:
  $ ttm train                                   the design's model, fresh weights, defaults
  $ ttm train --data dados/db_tratado-w.csv --epochs 20 --json
  $ ttm train --holdout 26 && ttm evaluate --origins 1    score 26 weeks the model never saw
  $ ttm train --data vendas.csv --columns date=data,vendas=qtd,faturamento=receita   (; and decimal commas detected)
  $ ttm train --pretrained ibm-granite/granite-timeseries-ttm-r2 --trainable decoder-head
  $ ttm train --resume                          after an interruption (Ctrl-C or a crash)
  $ ttm train --data promo.csv --covariates price,base_price,feature,display,tpr
                                                promotions and prices known ahead (ttm predict --future)
                                                (two stages: the targets first, then the covariates)
  $ ttm train --calendar                        week of year and Brazilian holidays as covariates
  $ ttm train --register --promote --registry /srv/ttm/registry
  $ ttm train --data postgres://ttm@db.example/erp --table vendas_semanais`),
  ).action(async (opts, cmd: Command) => {
    if ((opts.registry || opts.promote) && !opts.register) throw new UsageError('--registry and --promote go with --register');
    const { trainModel, TRAIN_DEFAULTS } = await import('../../train/index.js');
    const { trainProgress } = await import('./train-progress.js');
    const { dayFlag } = await import('../../data/index.js');
    const { loadTrainingData } = await import('../training-data.js');
    const d = TRAIN_DEFAULTS;
    const shared = trainingOptions(opts, d);
    const horizon = intOption('--horizon', opts.horizon, 1);
    const holdout = opts.holdout === undefined ? undefined : intOption('--holdout', opts.holdout, 1);
    const until = dayFlag(opts, 'until');
    const { source, csv } = await sourceWithCsv(opts, cmd);
    const progress = trainProgress(Boolean(opts.json));
    let interrupted = false;
    const onSigint = () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      status('interrupt: stopping after this step and saving a checkpoint (Ctrl-C again to quit now)');
    };
    process.on('SIGINT', onSigint);
    try {
      const dataset = await loadTrainingData(source, { csv, missing: shared.missing, covariates: shared.covariates, context: shared.context, horizon, minContext: shared.minContext, allowQualityIssues: Boolean(opts.allowQualityIssues) });
      const options = {
        ...d,
        ...shared,
        data: source,
        dataset,
        csv,
        holdout,
        until,
        horizon,
        output: opts.output,
        results: opts.results,
        resume: Boolean(opts.resume),
        refit: opts.refit !== false,
        checkpointEverySteps: intOption('--checkpoint-every', opts.checkpointEvery, 0),
        onEvent: progress.onEvent,
        shouldStop: () => interrupted,
      };
      // Flags are checked above, before TensorFlow.js loads: a typo fails fast.
      const backend = await startBackend(opts.backend);
      const result = await trainModel(options);
      progress.stop();
      let registered: { version: string; registry: string; active: boolean } | undefined;
      if (opts.register && result.fit.stopReason !== 'interrupted') {
        const [{ registerVersion }, { registryDir }] = await Promise.all([import('../../registry/index.js'), import('./models.js')]);
        const registry = await registryDir(opts.registry);
        const r = await registerVersion(registry, result.output, { promote: Boolean(opts.promote) });
        registered = { version: r.version, registry, active: Boolean(opts.promote) };
      }
      const summary = { schema_version: SCHEMA_VERSION, type: 'result', backend, output: result.output, ...result.metrics, ...(registered ? { registered } : {}) };
      if (opts.json) printJson(summary, false);
      else {
        const v = result.metrics.validation as Record<string, { wape: number; wape_model_only: number; model_weight: number }>;
        const before = (result.metrics.without_covariates as { validation?: Record<string, { wape: number }> } | undefined)?.validation;
        for (const [ch, m] of Object.entries(v)) printLine(`${ch}: validation WAPE ${m.wape.toFixed(3)} (model alone ${m.wape_model_only.toFixed(3)}, model weight ${m.model_weight})${before?.[ch] ? `; without covariates ${before[ch].wape.toFixed(3)}` : ''}`);
        printLine(`${paint.green('wrote')} ${result.output}/ (README.md model card, config.json, model.safetensors, preprocessor.json, forecaster.json, training_args.json, metrics.json); checkpoints and logs in ${opts.results}/`);
        if (registered) printLine(`${paint.green('registered')} ${registered.version} in ${registered.registry}/${registered.active ? ' (active)' : ''}`);
      }
      if (result.fit.stopReason === 'interrupted') process.exitCode = 130;
    } finally {
      process.off('SIGINT', onSigint);
      progress.stop();
    }
  });
}
