/**
 * Runs the server: listen, drain on SIGTERM/SIGINT (stop accepting, answer what is in flight,
 * dispose the models, exit 0). With `workers` > 1 the primary process forks that many workers
 * (node:cluster, sharing the port; each loads its own model; see cluster-primary.ts) and each
 * worker's /metrics reports the whole group (cluster-metrics.ts).
 */
import cluster from 'node:cluster';
import { buildApp } from './app.js';
import { isClusterPrimary, runPrimary } from './cluster-primary.js';
import type { AppOptions } from './options.js';

export interface StartOptions extends AppOptions {
  port: number;
  host: string;
  workers?: number;
}

/** Resolves once the server has drained and closed. */
export async function runServer(o: StartOptions): Promise<void> {
  if (isClusterPrimary(o.workers ?? 1)) return runPrimary(o.workers!);
  const app = await buildApp({ ...o, clusterMetrics: cluster.isWorker });
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
