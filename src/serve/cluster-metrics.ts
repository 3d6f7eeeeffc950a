/**
 * GET /metrics under `--workers N`: every worker has its own registry, so a scrape answered by one
 * worker would show a fraction of the traffic. The worker that gets the scrape asks the primary over
 * the cluster IPC channel; the primary collects every worker's registry as JSON (prom-client's
 * AggregatorRegistry.clusterMetrics) and merges them per metric by its `aggregator` (sum by default;
 * see metrics.ts), then sends the text back. Imports only node:cluster and prom-client: the primary
 * loads no model and no TensorFlow.js.
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const REQUEST = 'ttm:cluster-metrics-request';
const REPLY = 'ttm:cluster-metrics-reply';

interface Request {
  type: typeof REQUEST;
  id: number;
}
interface Reply {
  type: typeof REPLY;
  id: number;
  text?: string;
  error?: string;
}

/** Primary: answer the workers' requests with the metrics of the whole process group. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, msg: Partial<Request>) => {
    if (msg?.type !== REQUEST || typeof msg.id !== 'number') return;
    const id = msg.id;
    const send = (reply: Omit<Reply, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: REPLY, id, ...reply } satisfies Reply);
    };
    aggregator.clusterMetrics().then(
      (text) => send({ text }),
      (err: Error) => send({ error: err.message }),
    );
  });
}

/**
 * Worker: lets the primary read `registry` and returns a function that fetches the aggregated text
 * (rejects after `timeoutMs`, e.g. when a worker is restarting and does not answer).
 */
export function clusterMetricsSource(registry: Registry, timeoutMs = 5000): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry(); // installs the worker's answer to the primary's request for its metrics
  const pending = new Map<number, { resolve: (t: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  let next = 0;
  process.on('message', (msg: Partial<Reply>) => {
    if (msg?.type !== REPLY || typeof msg.id !== 'number') return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    clearTimeout(p.timer);
    if (typeof msg.text === 'string') p.resolve(msg.text);
    else p.reject(new Error(msg.error ?? 'no metrics from the primary'));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      if (!process.send || !process.connected) return reject(new Error('not connected to the primary process'));
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the primary process did not answer in ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      process.send({ type: REQUEST, id } satisfies Request);
    });
}
