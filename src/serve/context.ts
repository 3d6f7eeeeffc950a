/** What the routes share: the models, the served data, the metrics, the audit trail. */
import type { AuditEntry, AuditEvent } from './audit-log.js';
import type { Access } from './auth/permissions.js';
import type { Principal } from './auth/principal.js';
import type { ServeMetrics } from './metrics.js';
import type { ModelPool } from './model-pool.js';
import type { ModelSource } from './model-source.js';
import type { ServedData } from './served-data.js';

export interface ServeContext {
  pool: ModelPool;
  source: ModelSource;
  /** the served data (--data), per model as it reads it; null: inline histories only */
  data: ServedData | null;
  metrics: ServeMetrics;
  /** the Prometheus text of /metrics: this process's registry, or the whole cluster's */
  metricsText: () => Promise<string>;
  /** resolves once the entry is on disk */
  audit: (entry: AuditEntry) => Promise<void>;
  requestTimeoutMs: number;
  startedAt: number;
  /** a prediction request is about to queue its series (or ends without queueing) */
  leaveArriving: (req: import('fastify').FastifyRequest) => void;
  /** prediction requests received and not yet queued (for tests and logs) */
  arriving: () => number;
  /** calls `listener` each time another version becomes the active one (a hot swap) */
  onSwap: (listener: (version: string) => void) => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    ttm: ServeContext;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** counted among the prediction requests on their way to the batcher */
    arriving: boolean;
    /** filled by handlers for the audit entry */
    auditDetail: Record<string, unknown> | null;
    /** counted in ttm_http_requests_in_flight until it ends or is aborted */
    inFlight: boolean;
  }
  interface FastifyContextConfig {
    /** who may call the route (default: any valid credential) */
    access?: Access;
    /** audit event written for every call */
    audit?: AuditEvent;
    /** prediction endpoint: latency metric and micro-batch accounting */
    prediction?: boolean;
  }
}
