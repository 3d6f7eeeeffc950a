/**
 * buildApp(options): the fastify instance of `ttm serve` (not listening). Loads the served data
 * and the active model version, then registers one plugin per route. Access control, audit
 * and metrics are hooks driven by each route's `config` (access, audit, prediction).
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_PATHS } from '../config/paths.js';
import { CheckpointError, ConfigError, DatabaseError, DataError, TtmError } from '../errors.js';
import { openAuditLog, type AuditLog } from './audit-log.js';
import { AuthUnavailable, createAuthenticator, Unauthenticated } from './auth/authenticator.js';
import { watchAuthFile } from './auth/watch-auth-file.js';
import { permissionsOf, type Access } from './auth/permissions.js';
import type { ServeContext } from './context.js';
import { HttpError } from './http-error.js';
import { clusterMetricsSource } from './cluster-metrics.js';
import { createMetrics } from './metrics.js';
import { ModelPool } from './model-pool.js';
import { servedData, type ServedData } from './served-data.js';
import type { OpenApiRoute } from './openapi.js';
import { SERVE_DEFAULTS, type AppOptions } from './options.js';
import { dashboard } from './routes/dashboard.js';
import { healthRoute } from './routes/health.js';
import { metricsRoute } from './routes/metrics.js';
import { modelsPromoteRoute } from './routes/models-promote.js';
import { modelsRollbackRoute } from './routes/models-rollback.js';
import { modelsRoute } from './routes/models.js';
import { openapiRoute } from './routes/openapi.js';
import { predictBatchRoute } from './routes/predict-batch.js';
import { predictRoute } from './routes/predict.js';
import { useZod, zodIssues } from './zod-compilers.js';

function errorReply(err: FastifyError | Error): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof z.ZodError) {
    const issues = zodIssues(err);
    return HttpError.badRequest(`invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues, 'see /openapi.json for the request schema');
  }
  if (err instanceof TtmError) {
    // library errors: an unknown registry version, a refused model, bad input data
    if (err instanceof ConfigError && err.param === 'version') return new HttpError(/no previous|no active/.test(err.message) ? 409 : 404, /no previous|no active/.test(err.message) ? 'conflict' : 'not_found', err.message, err.hint);
    if (err instanceof ConfigError) return new HttpError(409, 'conflict', err.message, err.hint);
    // the warehouse is down or refused us: the service cannot answer now, a retry may
    if (err instanceof DatabaseError) return HttpError.unavailable(err.message, err.hint);
    if (err instanceof CheckpointError || err instanceof DataError) return new HttpError(422, 'unprocessable', err.message, err.hint);
  }
  const e = err as FastifyError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, 'payload_too_large', e.message, 'send fewer series per request');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'unsupported_media_type', e.message, 'send Content-Type: application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return HttpError.badRequest(`the body is not valid JSON: ${e.message}`, undefined, 'send a JSON object (see /openapi.json)');
  }
  if (e instanceof SyntaxError || e.statusCode === 400) return HttpError.badRequest(e.message);
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return new HttpError(e.statusCode, 'bad_request', e.message);
  return new HttpError(500, 'internal', 'internal error', 'the server logged the details; please report it');
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const o = { ...SERVE_DEFAULTS, ...options };
  const app = Fastify({
    logger: o.logger ?? false,
    bodyLimit: o.bodyLimit,
    requestTimeout: o.requestTimeoutMs,
    return503OnClosing: true,
    ...(o.tls ? { https: { ...o.tls, minVersion: 'TLSv1.3' as const } } : {}),
  }) as unknown as FastifyInstance;
  useZod(app);

  if (o.future && !o.data) throw new ConfigError('a future-covariates file gives the forecast weeks of the served series: it needs the data', { hint: 'pass --data FILE with --future' });
  const metrics = createMetrics();
  const data: ServedData | null = o.data ? servedData(o.data, o.future ?? null, app.log) : null;
  const audit: AuditLog | null = o.audit ? openAuditLog(o.audit, { sync: o.auditSync }) : null;
  let arriving = 0;
  const swapListeners: ((version: string) => void)[] = [];
  const pool: ModelPool = new ModelPool({
    source: o.source,
    data,
    log: app.log,
    batch: {
      maxBatch: o.maxBatch,
      maxWaitMs: o.maxWaitMs,
      arriving: (): number => arriving - (pool.active?.batcher.pending ?? 0),
      onCall: (size, seconds) => {
        metrics.batchSize.observe(size);
        metrics.batchDuration.observe(seconds);
      },
    },
    onActive: (version, previous) => {
      if (previous) metrics.modelInfo.remove({ version: previous });
      metrics.modelInfo.set({ version }, 1);
      if (previous) for (const l of swapListeners) l(version);
    },
    onSwapFailure: (f) => metrics.swapFailures.inc({ version: f.version }),
  });
  try {
    await pool.init();
  } catch (err) {
    audit?.close();
    throw err;
  }
  pool.watch(o.pollMs);

  const ctx: ServeContext = {
    pool,
    source: o.source,
    data,
    metrics,
    metricsText: o.clusterMetrics ? clusterMetricsSource(metrics.registry) : () => metrics.registry.metrics(),
    audit: async (e) => audit?.append(e),
    requestTimeoutMs: o.requestTimeoutMs,
    startedAt: Date.now(),
    arriving: () => arriving,
    leaveArriving: (req: FastifyRequest) => {
      if (!req.arriving) return;
      req.arriving = false;
      arriving--;
      pool.active?.batcher.poke();
    },
    onSwap: (listener) => swapListeners.push(listener),
  };
  app.decorate('ttm', ctx);
  app.decorateRequest('principal', null);
  app.decorateRequest('arriving', false);
  app.decorateRequest('auditDetail', null);
  app.decorateRequest('inFlight', false);
  const ended = (req: FastifyRequest) => {
    ctx.leaveArriving(req);
    if (req.inFlight) metrics.inFlight.dec();
    req.inFlight = false;
  };

  let authenticate = createAuthenticator(o.auth);
  const stopAuthWatch = o.authFile
    ? watchAuthFile(o.authFile, o.pollMs || SERVE_DEFAULTS.pollMs, (auth) => {
        authenticate = createAuthenticator(auth);
        app.log.info({ file: o.authFile, api_keys: auth.api_keys.length }, 'auth file reloaded');
      }, (err) => app.log.error({ file: o.authFile, err: err.message }, 'auth file not reloaded; the previous one stays in force'))
    : () => undefined;
  app.addHook('onRequest', async (req) => {
    metrics.inFlight.inc();
    req.inFlight = true;
    const cfg = req.routeOptions.config;
    if (cfg.prediction) {
      req.arriving = true;
      arriving++;
    }
    const access: Access | undefined = req.routeOptions.url === undefined ? undefined : (cfg.access ?? 'authenticated');
    if (access === undefined || access === 'open') return;
    try {
      req.principal = await authenticate(req.headers);
    } catch (err) {
      if (err instanceof Unauthenticated) throw new HttpError(401, 'unauthorized', err.message, err.hint);
      if (err instanceof AuthUnavailable) throw HttpError.unavailable(err.message, 'retry later, or use an API key');
      throw err;
    }
    if (access !== 'authenticated' && !permissionsOf(req.principal.roles).has(access)) {
      const roles = req.principal.roles.join(', ') || 'no known role';
      throw new HttpError(403, 'forbidden', `${req.principal.who} (${roles}) may not ${req.method} ${req.routeOptions.url}: it needs the ${access} permission`, 'ask an admin for a credential with a role that has it');
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const event = req.routeOptions.config.audit;
    if (event && req.routeOptions.url) {
      const status = reply.statusCode;
      await ctx.audit({
        at: new Date().toISOString(),
        event,
        who: req.principal?.who ?? 'anonymous',
        action: `${req.method} ${req.routeOptions.url}`,
        outcome: status < 400 ? 'ok' : status === 401 || status === 403 ? 'denied' : 'error',
        status,
        request_id: req.id,
        ...(req.auditDetail ? { detail: req.auditDetail } : {}),
      });
    }
    return payload;
  });

  // a client that goes away before the reply must not stay counted (it would hold up batches)
  app.addHook('onRequestAbort', async (req) => ended(req));
  app.addHook('onResponse', async (req, reply) => {
    ended(req);
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    if (req.routeOptions.config.prediction && reply.statusCode < 400) metrics.latency.observe({ endpoint: route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((err, req, reply) => {
    const h = errorReply(err as FastifyError);
    if (h.status >= 500 && h.code === 'internal') req.log.error({ err }, 'internal error');
    return reply.code(h.status).send(h.body());
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}`, hint: 'see /openapi.json' }));

  const routes: OpenApiRoute[] = [];
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const method of methods) routes.push({ method, url: r.url, schema: r.schema as OpenApiRoute['schema'], access: (r.config as { access?: Access } | undefined)?.access ?? 'authenticated' });
  });
  await app.register(healthRoute);
  await app.register(predictRoute);
  await app.register(predictBatchRoute);
  await app.register(modelsRoute);
  await app.register(modelsPromoteRoute);
  await app.register(modelsRollbackRoute);
  await app.register(metricsRoute);
  await app.register(dashboard, { evaluations: o.evaluations ?? join(DEFAULT_PATHS.results, 'evaluations') });
  await app.register(openapiRoute, { routes });

  app.addHook('onClose', async () => {
    stopAuthWatch();
    await pool.close();
    audit?.close();
  });
  return app;
}
