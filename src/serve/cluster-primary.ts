/**
 * The primary process of `--workers N` (node:cluster): forks the workers (they share the port and
 * each loads its own model), starts another when one dies, forwards SIGTERM/SIGINT, and aggregates
 * /metrics for them. It imports no model code, so it never loads TensorFlow.js or a backend.
 */
import cluster from 'node:cluster';
import { serveClusterMetrics } from './cluster-metrics.js';

/** True in the process that should fork the workers (not itself a worker). */
export function isClusterPrimary(workers: number): boolean {
  return workers > 1 && cluster.isPrimary;
}

/** Resolves once every worker has exited after a signal. */
export function runPrimary(n: number): Promise<void> {
  serveClusterMetrics();
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
