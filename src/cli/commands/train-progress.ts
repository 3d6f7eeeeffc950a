/** Progress of `ttm train`: a cli-progress bar per epoch on stderr, or JSON Lines events on stdout. */
import cliProgress from 'cli-progress';
import type { FitEvent, TrainInfoEvent } from '../../train/index.js';
import * as output from '../output.js';
import { isQuiet, paint, printJson, status, warn } from '../output.js';
import { pullProgress } from './pull-progress.js';

export function trainProgress(json: boolean): { onEvent: (e: FitEvent | TrainInfoEvent) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  let lastEpoch = { loss: NaN, valLoss: NaN };
  const pull = pullProgress(output);
  const stop = () => {
    bar?.stop();
    bar = undefined;
    pull.stop();
  };
  const showBar = !json && !isQuiet() && process.stderr.isTTY === true;
  const onEvent = (e: FitEvent | TrainInfoEvent) => {
    if (json) {
      if (e.type !== 'step' || e.batch === e.stepsPerEpoch || e.step % 50 === 0) printJson(e, false);
      return;
    }
    switch (e.type) {
      case 'data':
        status(`${paint.cyan('data:')} ${e.file}: ${e.series} series x ${e.weeks} weeks; training targets through ${e.trainThrough}, validation from ${e.validationFrom}${e.heldOutWeeks > 0 ? `; the last ${e.heldOutWeeks} week(s) held out of training` : ''}`);
        break;
      case 'model':
        status(`${paint.cyan('model:')} ${e.source}; ${e.strategy}: ${e.trainable.toLocaleString('en')} of ${e.total.toLocaleString('en')} parameters train (${((100 * e.trainable) / e.total).toFixed(1)}%)`);
        if (e.note) status(`${paint.dim('note:')} ${e.note}`);
        if (e.frozenFresh?.length) warn(`${e.frozenFresh.length} freshly initialised parameter(s) stay frozen (random) under ${e.strategy}, e.g. ${e.frozenFresh[0]}; --trainable decoder-head trains them`);
        if (e.fresh.length) status(`${paint.yellow('initialised fresh')} (${e.fresh.length}): ${e.fresh.slice(0, 8).join(', ')}${e.fresh.length > 8 ? ', …' : ''}`);
        break;
      case 'start':
        status(`${e.trainWindows.toLocaleString('en')} training windows, ${e.validationWindows} validation windows, ${e.stepsPerEpoch} steps per epoch, up to ${e.epochs} epochs${e.resumedFromStep !== undefined ? `; resumed at step ${e.resumedFromStep}` : ''}`);
        break;
      case 'threads':
        if (e.threads > 1) status(`${paint.cyan('threads:')} ${e.threads} (each batch split into ${e.threads} shards trained side by side)`);
        break;
      case 'step':
        if (!showBar) break;
        if (!bar) {
          bar = new cliProgress.SingleBar(
            { format: `epoch {epoch} [{bar}] {value}/{total} | loss {loss} | val {val} | lr {lr} | {wps} win/s | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(e.stepsPerEpoch, e.batch - 1, { epoch: e.epoch + 1, loss: '-', val: fmt(lastEpoch.valLoss), lr: '-', wps: '-' });
        }
        bar.update(e.batch, { loss: fmt(e.loss), lr: e.lr.toExponential(2), wps: e.windowsPerSecond.toFixed(0) });
        break;
      case 'epoch':
        stop();
        lastEpoch = e;
        status(`epoch ${e.epoch}: loss ${fmt(e.loss)}, val_loss ${fmt(e.valLoss)}${e.improved ? paint.green(' (best)') : ''}, lr ${e.lr.toExponential(2)}, ${e.windowsPerSecond.toFixed(0)} windows/s, ${e.seconds.toFixed(1)} s`);
        break;
      case 'pull':
        pull.onEvent(e.event);
        break;
      case 'stage':
        status(`${paint.cyan(`stage ${e.stage} of ${e.of}:`)} ${e.what}${e.reused ? ' (finished earlier: reused)' : ''}`);
        break;
      case 'refit':
        status(`${paint.cyan('refit:')} training again on every week, validation weeks included, for the ${e.epochs} epoch(s) validation chose (${e.trainWindows.toLocaleString('en')} windows)`);
        break;
      case 'replaced':
        if (e.worse) warn(`the new model's validation WAPE ${e.newWape.toFixed(3)} is worse than the one it replaced (${e.previousWape.toFixed(3)}); the previous model is kept in ${e.previous}/`);
        else status(`replaced the previous model (validation WAPE ${e.previousWape.toFixed(3)} -> ${e.newWape.toFixed(3)}); it is kept in ${e.previous}/`);
        break;
      case 'stop':
        stop();
        status(`stopped (${e.reason}); best epoch ${e.bestEpoch}, val_loss ${fmt(e.bestValLoss)}`);
        break;
      default:
        break;
    }
  };
  return { onEvent, stop };
}

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4)) : '-');
