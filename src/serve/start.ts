/**
 * Runs the server: listen, drain on SIGTERM/SIGINT (stop accepting, answer what is in flight,
 * dispose the models, exit 0). With `workers` > 1 the primary process forks that many workers
 * (node:cluster, sharing the port; each loads its own model) and forwards the signals.
 */
import cluster from 'node:cluster';
import { buildApp } from './app.js';
import type { AppOptions } from './options.js';

export interface StartOptions extends AppOptions {
  port: number;
  host: string;
  workers?: number;
}

/** Resolves once the server has drained and closed. */
export async function runServer(o: StartOptions): Promise<void> {
  if ((o.workers ?? 1) > 1 && cluster.isPrimary) return runPrimary(o.workers!);
  const app = await buildApp(o);
  await app.listen({ port: o.port, host: o.host });
  await new Promise<void>((resolve) => {
    let closing = false;
    const stop = (signal: string) => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'draining in-flight requests');
      app.close().then(
        () => {
          app.log.info('closed');
          // a worker's IPC channel to the primary would keep it alive
          if (cluster.isWorker) cluster.worker?.disconnect();
          resolve();
        },
        (err) => {
          app.log.error({ err }, 'close failed');
          resolve();
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

function runPrimary(n: number): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const fork = () => cluster.fork();
    for (let i = 0; i < n; i++) fork();
    cluster.on('exit', (worker, code, signal) => {
      if (!stopping) {
        process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), msg: 'worker died; starting another', pid: worker.process.pid, code, signal })}\n`);
        fork();
      } else if (Object.keys(cluster.workers ?? {}).length === 0) resolve();
    });
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      const workers = Object.values(cluster.workers ?? {});
      if (workers.length === 0) resolve();
      for (const w of workers) w?.process.kill(signal);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
