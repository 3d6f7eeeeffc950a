/**
 * Data-parallel forecasting: a pool of worker threads, each with its own TensorFlow.js engine
 * and a copy of the model, shares a job's window batches with the main thread. The batches are
 * the ones a single thread would run (same windows, same order, same size) and each batch runs
 * the same forward on the same kind of backend, so the forecasts are identical to one thread's;
 * only the wall time changes. A forecast needs at least two batches to gain anything.
 *
 * Used by `ttm predict` and `ttm evaluate` (--threads) and open to any long-lived caller (a
 * server starts one pool and passes it with every job).
 */
import { availableParallelism } from 'node:os';
import type { WindowBatch } from '../data/index.js';
import { stateDict } from '../io/checkpoint.js';
import type { TtmModel } from '../model/index.js';
import { currentBackend, workerBackend } from '../runtime/backend.js';
import { RequestWorker } from '../runtime/request-worker.js';
import type { InputOptions } from './batch.js';
import type { ForecastWorkerBatch, ForecastWorkerInit, ForecastWorkerReply } from './forecast-worker.js';

/** The compiled worker (tests run the sources; the worker always runs the build in dist/). */
const WORKER_URL = new URL('../../dist/predict/forecast-worker.js', import.meta.url);

type Worker = RequestWorker<ForecastWorkerInit | ForecastWorkerBatch, ForecastWorkerReply>;

/** One thread per core Node reports (what a caller may ask for on an idle machine). */
export function defaultForecastThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Threads for `windows` windows in batches of `batchSize`: the request (default 1: a worker
 * costs ~0.5 s of CPU to start, and on this shared 2-core machine two threads measured slower
 * than one even at 29 batches, docs/performance.md), but no more than there are batches.
 */
export function forecastThreads(windows: number, batchSize: number, requested = 1): number {
  return Math.max(1, Math.min(requested, Math.ceil(windows / batchSize)));
}

/** Model outputs of one batch: prediction_outputs [B, H, Cp]. */
export interface BatchOutputs {
  data: Float32Array;
  shape: number[];
}

export class ForecastPool {
  private constructor(
    readonly model: TtmModel,
    private readonly workers: Worker[],
    /** the caller's thread computes no batch (see start) */
    readonly background: boolean,
  ) {}

  /** Threads that compute a job: the workers, and the caller's own unless in the background. */
  get threads(): number {
    return this.workers.length + (this.background ? 0 : 1);
  }

  /** Worker threads (a job goes through the pool only when there is one). */
  get workerThreads(): number {
    return this.workers.length;
  }

  /**
   * Start threads−1 workers holding copies of `model` (weights as they are now, read before the
   * first await) on the backend the main thread runs. threads 1 starts none.
   * `background`: start `threads` workers and leave the caller's thread out of the model's work
   * (a server's event loop stays free while a long job runs; the caller only builds the batches).
   */
  static async start(model: TtmModel, threads: number, { background = false } = {}): Promise<ForecastPool> {
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer, got ${threads}`);
    const backend = currentBackend()?.name;
    if (!backend) throw new Error('ForecastPool: no backend initialised');
    const init: ForecastWorkerInit = { type: 'init', backend: workerBackend(backend), config: model.config, weights: stateDict(model) };
    const workers = Array.from({ length: background ? threads : threads - 1 }, (): Worker => new RequestWorker(WORKER_URL, 'forecast worker'));
    try {
      await Promise.all(workers.map((w) => w.request(init)));
    } catch (err) {
      await Promise.all(workers.map((w) => w.close()));
      throw err;
    }
    return new ForecastPool(model, workers, background);
  }

  /** Jobs run one after another (a server may submit several at once). */
  private last: Promise<unknown> = Promise.resolve();

  /**
   * Runs `own(batch)` on this thread and hands batches to idle workers, each batch exactly once;
   * resolves with every batch's outputs in the batches' order. `own` must use the pool's model.
   */
  run(batches: Iterable<WindowBatch>, inputOptions: InputOptions, own: (b: WindowBatch) => Promise<BatchOutputs>): Promise<{ batch: WindowBatch; outputs: BatchOutputs }[]> {
    const job = this.last.then(() => this.runNow(batches, inputOptions, own));
    this.last = job.catch(() => undefined);
    return job;
  }

  private async runNow(batches: Iterable<WindowBatch>, inputOptions: InputOptions, own: (b: WindowBatch) => Promise<BatchOutputs>): Promise<{ batch: WindowBatch; outputs: BatchOutputs }[]> {
    const results: { batch: WindowBatch; outputs: BatchOutputs }[] = [];
    const it = batches[Symbol.iterator]();
    let next = 0;
    const take = (): { batch: WindowBatch; index: number } | undefined => {
      const r = it.next();
      return r.done ? undefined : { batch: r.value, index: next++ };
    };
    let stop = false;
    const runner = async (compute: (b: WindowBatch) => Promise<BatchOutputs>) => {
      try {
        for (let job = stop ? undefined : take(); job; job = stop ? undefined : take()) {
          results[job.index] = { batch: job.batch, outputs: await compute(job.batch) };
        }
      } catch (err) {
        stop = true; // the other runners take no new batch
        throw err;
      }
    };
    const remote = (w: Worker) => async (batch: WindowBatch): Promise<BatchOutputs> => {
      const reply = await w.request({ type: 'batch', batch, inputOptions });
      if (reply.type !== 'outputs') throw new Error(`forecast worker: unexpected reply ${reply.type}`);
      return { data: reply.data, shape: reply.shape };
    };
    // Workers first, so they are busy while this thread computes its own batch. On a failure
    // every runner still finishes its current batch, so the pool is idle (and reusable) after.
    const settled = await Promise.allSettled([...this.workers.map((w) => runner(remote(w))), ...(this.background ? [] : [runner(own)])]);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
