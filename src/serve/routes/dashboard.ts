/**
 * The executive dashboard: GET /dashboard (the page), its scripts and styles under
 * /dashboard/assets/ and uPlot under /dashboard/vendor/, all from the repository and
 * node_modules, plus the read endpoints the page calls (series, overview, evaluations).
 *
 * The page and its assets are code without data, open to anyone: a browser's navigation to
 * /dashboard cannot carry an Authorization header. The page asks for a key or token, keeps it in
 * sessionStorage and sends it as `Authorization: Bearer` to the read endpoints, which answer only
 * callers holding view_dashboards (401 / 403 otherwise). No figure reaches the browser without it.
 */
import { readdirSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { PUBLIC_DIR, UPLOT_DIR } from '../dashboard/assets-dir.js';
import { dashboardDeps } from '../dashboard/deps.js';
import { TotalBandStore } from '../dashboard/total-band-job.js';
import { InternalError } from '../../errors.js';
import { HttpError } from '../http-error.js';
import { evaluationRoutes } from './evaluations.js';
import { overviewRoutes } from './overview.js';
import { seriesRoutes } from './series.js';

export interface DashboardOptions {
  /** folder of `ttm evaluate` reports (<results>/evaluations) */
  evaluations: string;
}

/** Everything the page loads comes from this server. */
const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
/**
 * The page's own scripts and styles, listed when the app is built (not at import, so a missing
 * folder is a clear start-up error instead of a crash while loading modules).
 */
function pageAssets(): Set<string> {
  try {
    return new Set(readdirSync(PUBLIC_DIR).filter((f) => /\.(js|css)$/.test(f)));
  } catch (err) {
    throw new InternalError(`the dashboard's files are missing: ${PUBLIC_DIR} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, {
      hint: 'the installation is incomplete: src/serve/dashboard/public must sit beside dist/ (reinstall, or copy it into the image)',
      cause: err,
    });
  }
}
/** uPlot's two files, the only ones served from node_modules. */
const VENDOR = new Set(['uPlot.iife.min.js', 'uPlot.min.css']);
const FileParams = z.object({ file: z.string().max(100) });

export const dashboard: FastifyPluginAsync<DashboardOptions> = async (app, o) => {
  const bands = new TotalBandStore(app.log);
  app.addHook('onClose', () => bands.close());
  const deps = dashboardDeps(app.ttm, o.evaluations, bands);
  const assets = pageAssets();
  await app.register(async (page) => {
    await page.register(fastifyStatic, { root: PUBLIC_DIR, serve: false, cacheControl: false });
    page.addHook('onSend', async (_req, reply) => {
      reply.header('content-security-policy', CSP);
      reply.header('x-content-type-options', 'nosniff');
    });
    const open = { access: 'open' } as const;
    page.get('/dashboard', { schema: { summary: 'the dashboard page (sign-in form; data come from the view_dashboards endpoints)' } as never, config: open }, (_req, reply) =>
      reply.header('cache-control', 'no-cache').sendFile('index.html'),
    );
    page.get<{ Params: { file: string } }>('/dashboard/assets/:file', { schema: { summary: "the page's scripts and styles", params: FileParams } as never, config: open }, (req, reply) => {
      if (!assets.has(req.params.file)) throw HttpError.notFound(`no dashboard asset ${req.params.file}`);
      return reply.header('cache-control', 'no-cache').sendFile(req.params.file);
    });
    page.get<{ Params: { file: string } }>('/dashboard/vendor/:file', { schema: { summary: 'uPlot, from node_modules', params: FileParams } as never, config: open }, (req, reply) => {
      if (!VENDOR.has(req.params.file)) throw HttpError.notFound(`no dashboard library file ${req.params.file}`);
      return reply.header('cache-control', 'public, max-age=86400').sendFile(req.params.file, UPLOT_DIR);
    });
  });
  await app.register(seriesRoutes, deps);
  await app.register(overviewRoutes, deps);
  await app.register(evaluationRoutes, deps);
};
