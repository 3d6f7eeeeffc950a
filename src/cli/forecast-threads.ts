/** The --threads flag of the forecasting commands (predict, evaluate): data-parallel batches. */
import type { Command } from 'commander';
import type { TtmModel } from '../model/index.js';
import type { ForecastPool } from '../predict/index.js';
import { status, paint } from './output.js';
import { intOption } from './parse-flags.js';

export function addForecastThreadsOption(cmd: Command): Command {
  return cmd.option(
    '--threads <n>',
    'worker threads that share the forecast batches of 256 windows, each with its own backend (default 1; worth it on idle cores for thousands of windows, see docs/performance.md). The forecasts are the same whatever N',
  );
}

/**
 * Start a pool for `windows` windows when more than one thread is worth it (say on stderr how
 * many), else undefined. The caller closes it.
 */
export async function startForecastPool(flag: string | undefined, model: TtmModel, windows: number, batchSize = 256): Promise<ForecastPool | undefined> {
  const { ForecastPool, forecastThreads } = await import('../predict/index.js');
  const requested = flag === undefined ? undefined : intOption('--threads', flag, 1, 256);
  const threads = forecastThreads(windows, batchSize, requested);
  if (threads < 2) return undefined;
  const pool = await ForecastPool.start(model, threads);
  status(`${paint.cyan('forecast:')} ${threads} threads (this one and ${threads - 1} worker${threads > 2 ? 's' : ''}, each with its own backend)`);
  return pool;
}
