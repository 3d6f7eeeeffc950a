/** Settings of one server process (the CLI fills them from flags). */
import type { FastifyServerOptions } from 'fastify';
import type { AuthFile } from '../config/auth-file.js';
import type { DataSource } from '../data/index.js';
import type { ModelSource } from './model-source.js';

export interface AppOptions {
  source: ModelSource;
  /** weekly sales (a CSV path, or a CSV / PostgreSQL DataSource) looked up by key; null: only inline histories */
  data: string | DataSource | null;
  /**
   * CSV of the forecast weeks' covariates (date, produto_cat, uf_cat and the columns), for
   * key-based requests and the dashboard of a model trained with covariates; a request's own
   * `future` replaces it for its series. Read with the data, for each model that has covariate
   * columns (others never read it).
   */
  future?: string | null;
  auth: AuthFile;
  /** the file `auth` was read from: re-read when it changes (keys created or revoked take effect) */
  authFile?: string;
  /** folder of the `ttm evaluate` reports the dashboard shows (default results_ttm_model/evaluations) */
  evaluations?: string;
  /** JSON Lines audit file; null: no audit trail (tests only) */
  audit: string | null;
  /** fdatasync each audit entry (default true) */
  auditSync?: boolean;
  /** series per model call (default 32; 1 = no micro-batching) */
  maxBatch?: number;
  /** most a queued request waits for others (ms, default 100) */
  maxWaitMs?: number;
  /** largest request body in bytes (default 4 MiB) */
  bodyLimit?: number;
  /** a prediction not answered in this time is a 503 (ms, default 30000) */
  requestTimeoutMs?: number;
  /** how often to look at the registry's active version (ms, default 1000; 0 = never) */
  pollMs?: number;
  /** fastify logger setting (pino options, true, or false) */
  logger?: FastifyServerOptions['logger'];
  /** a node:cluster worker of `ttm serve --workers N`: /metrics asks the primary for every worker's figures */
  clusterMetrics?: boolean;
  /** TLS key and certificate (PEM); TLS 1.3 only */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export const SERVE_DEFAULTS = {
  maxBatch: 32,
  maxWaitMs: 100,
  bodyLimit: 4 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  pollMs: 1000,
} as const;
