import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { UsageError } from '../../errors.js';
import { addBackendOption, startBackend } from '../backend-option.js';
import { intOption, numberOption, choiceOption } from '../parse-flags.js';
import { printJson, printLine, status, paint } from '../output.js';
import { addSourceOptions, DATA_HELP, sourceFromFlags } from '../warehouse-options.js';

export function register(program: Command): void {
  addBackendOption(addSourceOptions(
    program
      .command('train')
      .description('fine-tune or train a TinyTimeMixer on weekly sales; writes the final model and checkpoints')
      .option('--data <file|url>', `weekly CSV: date, produto_cat, uf_cat, vendas, faturamento; ${DATA_HELP}`, DEFAULT_PATHS.data))
      .option('--pretrained <dir|repo>', 'start from a checkpoint directory or a Hub repo id (e.g. ibm-granite/granite-timeseries-ttm-r2)')
      .option('--trainable <strategy>', 'fc1-fc2 | decoder-head | all (default: fc1-fc2 with --pretrained, all for fresh weights)')
      .option('--context <weeks>', 'weeks of context', '104')
      .option('--horizon <weeks>', 'weeks to forecast', '26')
      .option('--epochs <n>', 'at most this many epochs', '100')
      .option('--batch-size <n>', 'windows per step', '64')
      .option('--lr <rate>', 'peak learning rate (OneCycle)', '5e-4')
      .option('--weight-decay <w>', 'AdamW decoupled weight decay', '0.01')
      .option('--patience <n>', 'early stopping: epochs without a better validation loss', '15')
      .option('--seed <n>', 'seed of initialisation, shuffling and dropout', '42')
      .option('--loss <name>', 'mae | mse | huber | pinball (default mae: it is what WAPE measures)')
      .option('--scaling <kind>', 'none | standard: per-series scaling before the model (TTM scales each window itself)')
      .option('--transform <t>', 'none | log1p: value transform before the model')
      .option('--min-context <weeks>', 'real weeks a training window needs; earlier weeks are padded with mask 0')
      .option('--stride <weeks>', 'weeks between training windows of a series')
      .option('--windows-per-epoch <n>', 'train on a fresh sample of at most N windows per epoch')
      .option('--dropout <rate>', 'dropout in the mixers and head')
      .option('--blend-window <weeks>', 'weeks of the robust median blended with the model (0: model only)')
      .option('--no-refit', 'keep the model chosen on validation instead of training it again on every week')
      .option('--missing <policy>', 'a week without a row: zero (no sales) | gap (unobserved)', 'zero')
      .option('--output <dir>', 'final model directory', DEFAULT_PATHS.model)
      .option('--results <dir>', 'checkpoints and logs', DEFAULT_PATHS.results)
      .option('--resume', 'continue the last run from its newest checkpoint')
      .option('--checkpoint-every <steps>', 'also checkpoint every N steps inside an epoch', '200')
      .option('--threads <n>', 'train each batch as N data-parallel shards on N threads (wasm/cpu use one core each; results differ from 1 thread in rounding, and a resume needs the same N to repeat a run exactly)', '1')
      .option('--register', 'register the trained model as the next version of the model registry (ttm models)')
      .option('--registry <dir>', `registry for --register (env TTM_REGISTRY; default ${DEFAULT_PATHS.registry})`)
      .option('--promote', 'with --register: also make the new version active')
      .option('--json', 'JSON Lines events on stdout, the last line the result')
      .addHelpText('after', `
Examples:
  $ ttm train                                   the design's model, fresh weights, defaults
  $ ttm train --data dados/db_tratado-w.csv --epochs 20 --json
  $ ttm train --pretrained ibm-granite/granite-timeseries-ttm-r2 --trainable decoder-head
  $ ttm train --resume                          after an interruption (Ctrl-C or a crash)
  $ ttm train --register --promote --registry /srv/ttm/registry
  $ ttm train --data postgres://ttm@db.example/erp --table vendas_semanais`),
  ).action(async (opts, cmd: Command) => {
    if ((opts.registry || opts.promote) && !opts.register) throw new UsageError('--registry and --promote go with --register');
    const { trainModel, TRAIN_DEFAULTS } = await import('../../train/index.js');
    const { trainProgress } = await import('./train-progress.js');
    const d = TRAIN_DEFAULTS;
    const progress = trainProgress(Boolean(opts.json));
    let interrupted = false;
    const onSigint = () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      status('interrupt: stopping after this step and saving a checkpoint (Ctrl-C again to quit now)');
    };
    process.on('SIGINT', onSigint);
    try {
      const options = {
        ...d,
        data: await sourceFromFlags(opts, cmd),
        output: opts.output,
        results: opts.results,
        pretrained: opts.pretrained,
        trainable: opts.trainable ? choiceOption('--trainable', opts.trainable, ['fc1-fc2', 'decoder-head', 'all'] as const) : undefined,
        context: intOption('--context', opts.context, 1),
        horizon: intOption('--horizon', opts.horizon, 1),
        epochs: intOption('--epochs', opts.epochs, 1),
        batchSize: intOption('--batch-size', opts.batchSize, 1),
        lr: numberOption('--lr', opts.lr, 0),
        weightDecay: numberOption('--weight-decay', opts.weightDecay, 0),
        patience: intOption('--patience', opts.patience, 1),
        seed: intOption('--seed', opts.seed, 0),
        loss: opts.loss ? choiceOption('--loss', opts.loss, ['mae', 'mse', 'huber', 'pinball'] as const) : d.loss,
        scaling: opts.scaling ? choiceOption('--scaling', opts.scaling, ['none', 'standard'] as const) : d.scaling,
        transform: opts.transform ? choiceOption('--transform', opts.transform, ['none', 'log1p'] as const) : d.transform,
        minContext: opts.minContext ? intOption('--min-context', opts.minContext, 1) : d.minContext,
        windowsPerEpoch: opts.windowsPerEpoch ? intOption('--windows-per-epoch', opts.windowsPerEpoch, 1) : d.windowsPerEpoch,
        stride: opts.stride ? intOption('--stride', opts.stride, 1) : d.stride,
        dropout: opts.dropout ? numberOption('--dropout', opts.dropout, 0, 0.95) : d.dropout,
        blendWindow: opts.blendWindow ? intOption('--blend-window', opts.blendWindow, 0) : d.blendWindow,
        missing: choiceOption('--missing', opts.missing, ['zero', 'gap'] as const),
        resume: Boolean(opts.resume),
        refit: opts.refit !== false,
        checkpointEverySteps: intOption('--checkpoint-every', opts.checkpointEvery, 0),
        threads: intOption('--threads', opts.threads, 1),
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
      const summary = { type: 'result', backend, output: result.output, ...result.metrics, ...(registered ? { registered } : {}) };
      if (opts.json) printJson(summary, false);
      else {
        const v = result.metrics.validation as Record<string, { wape: number; wape_model_only: number; model_weight: number }>;
        for (const [ch, m] of Object.entries(v)) printLine(`${ch}: validation WAPE ${m.wape.toFixed(3)} (model alone ${m.wape_model_only.toFixed(3)}, model weight ${m.model_weight})`);
        printLine(`${paint.green('wrote')} ${result.output}/ (config.json, model.safetensors, preprocessor.json, forecaster.json, training_args.json, metrics.json); checkpoints and logs in ${opts.results}/`);
        if (registered) printLine(`${paint.green('registered')} ${registered.version} in ${registered.registry}/${registered.active ? ' (active)' : ''}`);
      }
      if (result.fit.stopReason === 'interrupted') process.exitCode = 130;
    } finally {
      process.off('SIGINT', onSigint);
      progress.stop();
    }
  });
}
