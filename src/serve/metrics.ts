/**
 * The Prometheus figures (names fixed by the server contract), on a registry owned by one app.
 * `aggregator` says how `--workers N` merges the workers' values into one scrape (cluster-metrics.ts):
 * counts, histograms and requests in flight add up; ttm_model_info is 1 for a version any worker serves.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServeMetrics {
  registry: Registry;
  latency: Histogram<'endpoint'>;
  predictions: Counter<'endpoint'>;
  batchSize: Histogram;
  batchDuration: Histogram;
  inFlight: Gauge;
  requests: Counter<'method' | 'route' | 'status'>;
  modelInfo: Gauge<'version'>;
  swapFailures: Counter<'version'>;
}

export function createMetrics(): ServeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    latency: new Histogram({
      name: 'ttm_prediction_latency_seconds',
      help: 'time from request to reply of a prediction endpoint',
      labelNames: ['endpoint'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers,
      aggregator: 'sum',
    }),
    predictions: new Counter({ name: 'ttm_predictions_total', help: 'series forecast', labelNames: ['endpoint'], registers, aggregator: 'sum' }),
    batchSize: new Histogram({ name: 'ttm_batch_size', help: 'series per model call', buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], registers, aggregator: 'sum' }),
    batchDuration: new Histogram({
      name: 'ttm_batch_duration_seconds',
      help: 'duration of one model call',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
      aggregator: 'sum',
    }),
    inFlight: new Gauge({ name: 'ttm_http_requests_in_flight', help: 'requests being handled', registers, aggregator: 'sum' }),
    requests: new Counter({ name: 'ttm_http_requests_total', help: 'requests answered', labelNames: ['method', 'route', 'status'], registers, aggregator: 'sum' }),
    modelInfo: new Gauge({ name: 'ttm_model_info', help: '1 for the model version being served', labelNames: ['version'], registers, aggregator: 'max' }),
    swapFailures: new Counter({ name: 'ttm_model_swap_failures_total', help: 'attempts to serve a promoted version that failed (the previous version kept serving)', labelNames: ['version'], registers, aggregator: 'sum' }),
  };
}
