/**
 * One worker thread spoken to one request at a time: `request` posts a message and resolves with
 * the worker's next reply; a reply `{ type: 'error', message }`, a crash or an exit rejects it.
 * Used by the data-parallel training step and the data-parallel forecast.
 */
import { Worker } from 'node:worker_threads';

export class RequestWorker<Req, Reply extends { type: string }> {
  private readonly worker: Worker;
  private pending: { resolve: (r: Reply) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  /** `label` names the worker in errors ("training worker"). */
  constructor(url: URL, private readonly label: string) {
    this.worker = new Worker(url);
    this.worker.on('message', (reply: Reply | { type: 'error'; message: string }) => {
      const p = this.pending;
      this.pending = undefined;
      if (reply.type === 'error') p?.reject(new Error(`${this.label}: ${(reply as { message: string }).message}`));
      else p?.resolve(reply as Reply);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`${this.label} exited with code ${code}`));
    });
  }

  private fail(err: Error): void {
    this.failure = err;
    this.pending?.reject(err);
    this.pending = undefined;
  }

  request(msg: Req, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error(`${this.label}: a request is already in flight`));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(msg, transfer);
    });
  }

  /** Ends the thread; a request still in flight is rejected (a job cancelled midway fails, it does not hang). */
  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    if (this.pending) this.fail(new Error(`${this.label} closed while a request was in flight`));
    await this.worker.terminate();
  }
}
