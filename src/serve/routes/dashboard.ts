/**
 * The executive dashboard: GET /dashboard (the page), its scripts and styles under
 * /dashboard/assets/ and uPlot under /dashboard/vendor/, all from the repository and
 * node_modules, plus the read endpoints the page calls (series, overview, evaluations).
 *
 * The page and its assets are code without data, served to anyone: a browser's navigation to
 * /dashboard cannot carry an Authorization header. The page asks for a key or token, keeps it in
 * sessionStorage and sends it as `Authorization: Bearer` to the read endpoints, which answer only
 * callers holding view_dashboards (401 / 403 otherwise). No figure reaches the browser without it.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { PUBLIC_DIR, UPLOT_DIR } from '../dashboard/assets-dir.js';
import type { DashboardDeps } from '../dashboard/deps.js';
import { evaluationRoutes } from './evaluations.js';
import { overviewRoutes } from './overview.js';
import { seriesRoutes } from './series.js';

/** Everything the page loads comes from this server. */
const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
const VENDOR = new Set(['uPlot.iife.min.js', 'uPlot.min.css']);

export const dashboard: FastifyPluginAsync<DashboardDeps> = async (app, deps) => {
  app.register(async (page) => {
    page.addHook('onSend', async (_req, reply) => {
      reply.header('content-security-policy', CSP);
      reply.header('x-content-type-options', 'nosniff');
    });
    await page.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/dashboard/assets/', index: false, decorateReply: true, cacheControl: false });
    await page.register(fastifyStatic, {
      root: UPLOT_DIR,
      prefix: '/dashboard/vendor/',
      decorateReply: false,
      index: false,
      allowedPath: (path) => VENDOR.has(path.replace(/^\//, '')),
    });
    page.get('/dashboard', (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
    page.get('/dashboard/', (_req, reply) => reply.redirect('/dashboard'));
  });
  app.register(seriesRoutes, deps);
  app.register(overviewRoutes, deps);
  app.register(evaluationRoutes, deps);
};
