/** Status lines and a cli-progress bar (stderr) for `ttm pull`'s events. */
import cliProgress from 'cli-progress';
import type { PullEvent } from '../../hub/index.js';

type Output = typeof import('../output.js');

export function pullProgress(out: Output): { onEvent: (e: PullEvent) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const onEvent = (e: PullEvent) => {
    if (e.type === 'selected') out.status(`${out.paint.cyan('checkpoint:')} ${e.revision} — ${e.reason}`);
    else if (e.type === 'cache-fallback') out.warn(`${e.reason}; using the cached copy`);
    else if (e.type === 'file-start' && !e.cached && !out.isQuiet()) {
      bar = new cliProgress.SingleBar(
        { format: `${e.file} [{bar}] {percentage}% {value}/{total} bytes`, stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(e.size, 0);
    } else if (e.type === 'file-progress') bar?.update(e.received);
    else if (e.type === 'file-done') {
      stop();
      if (e.cached) out.status(`${e.file}: already in the cache`);
    }
  };
  return { onEvent, stop };
}
