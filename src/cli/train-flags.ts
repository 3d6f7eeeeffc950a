/**
 * The training flags `ttm train` and `ttm backtest` share: declared once, parsed once (flag
 * strings → checked TrainOptions fields, UsageError otherwise).
 */
import type { Command } from 'commander';
import { choiceOption, intOption, numberOption } from './parse-flags.js';

export function addTrainingOptions(cmd: Command): Command {
  return cmd
    .option('--pretrained <dir|repo>', 'start from a checkpoint directory or a Hub repo id (e.g. ibm-granite/granite-timeseries-ttm-r2)')
    .option('--trainable <strategy>', 'fc1-fc2 | decoder-head | all (default: fc1-fc2 with --pretrained, all for fresh weights)')
    .option('--context <weeks>', 'weeks of context', '104')
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
    .option('--covariates <columns>', 'future-known numeric columns of the CSV fed as exogenous channels, comma-separated (e.g. price,base_price,feature,display,tpr); price + base_price also give relative_price and price_cut')
    .option('--calendar [country]', 'calendar channels without any column: week of year, public holidays and retail dates of the country (default BR)')
    .option('--covariate-training <recipe>', 'with covariates and fresh weights: two-stage (default: the targets first, then decoder, head and channel mixer with the covariates) | joint (everything at once, slower)')
    .option('--missing <policy>', 'a week without a row: zero (no sales) | gap (unobserved)', 'zero')
    .option('--threads <n>', 'train each batch as N data-parallel shards on N threads (wasm/cpu use one core each; results differ from 1 thread in rounding, and a resume needs the same N to repeat a run exactly)', '1');
}

/** The TrainOptions fields of the shared flags, over `defaults`. */
/** --covariates a,b,c → names (checked by the data layer when the file is read). */
function covariateList(raw: unknown): string[] {
  if (raw === undefined) return [];
  return String(raw).split(',').map((x) => x.trim()).filter((x) => x.length > 0);
}

/** --calendar [COUNTRY] → the country code, BR when the flag has no value; null without it. */
function calendarCountry(raw: unknown): string | null {
  if (raw === undefined) return null;
  return raw === true ? 'BR' : String(raw).toUpperCase();
}

export function trainingOptions<D extends Record<string, unknown>>(opts: Record<string, string | undefined>, d: D) {
  return {
    pretrained: opts.pretrained,
    trainable: opts.trainable ? choiceOption('--trainable', opts.trainable, ['fc1-fc2', 'decoder-head', 'all'] as const) : undefined,
    context: intOption('--context', opts.context!, 1),
    epochs: intOption('--epochs', opts.epochs!, 1),
    batchSize: intOption('--batch-size', opts.batchSize!, 1),
    lr: numberOption('--lr', opts.lr!, 0),
    weightDecay: numberOption('--weight-decay', opts.weightDecay!, 0),
    patience: intOption('--patience', opts.patience!, 1),
    seed: intOption('--seed', opts.seed!, 0),
    loss: opts.loss ? choiceOption('--loss', opts.loss, ['mae', 'mse', 'huber', 'pinball'] as const) : (d.loss as 'mae' | 'mse' | 'huber' | 'pinball'),
    scaling: opts.scaling ? choiceOption('--scaling', opts.scaling, ['none', 'standard'] as const) : (d.scaling as 'none' | 'standard'),
    transform: opts.transform ? choiceOption('--transform', opts.transform, ['none', 'log1p'] as const) : (d.transform as 'none' | 'log1p'),
    minContext: opts.minContext ? intOption('--min-context', opts.minContext, 1) : (d.minContext as number),
    windowsPerEpoch: opts.windowsPerEpoch ? intOption('--windows-per-epoch', opts.windowsPerEpoch, 1) : (d.windowsPerEpoch as number),
    stride: opts.stride ? intOption('--stride', opts.stride, 1) : (d.stride as number),
    dropout: opts.dropout ? numberOption('--dropout', opts.dropout, 0, 0.95) : (d.dropout as number),
    blendWindow: opts.blendWindow ? intOption('--blend-window', opts.blendWindow, 0) : (d.blendWindow as number),
    missing: choiceOption('--missing', opts.missing!, ['zero', 'gap'] as const),
    threads: intOption('--threads', opts.threads!, 1),
    covariates: covariateList(opts.covariates),
    // commander gives `true` for a bare --calendar, which the string-typed flag record hides
    calendar: calendarCountry((opts as Record<string, unknown>).calendar),
    covariateTraining: opts.covariateTraining ? choiceOption('--covariate-training', opts.covariateTraining, ['two-stage', 'joint'] as const) : undefined,
  };
}
