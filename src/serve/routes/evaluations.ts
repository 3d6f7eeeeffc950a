/** GET /evaluations (the stored `ttm evaluate` reports, for the trend), /evaluations/latest and /evaluations/:id (view_dashboards). */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { DashboardDeps } from '../dashboard/deps.js';
import { readEvaluations, SkippedSchema } from '../dashboard/evaluation-store.js';
import { EvaluationSchema, EvaluationSummarySchema, summarize } from '../dashboard/evaluation-view.js';
import { ErrorSchema } from '../schemas.js';

const ListSchema = z.object({ evaluations: z.array(EvaluationSummarySchema).describe('oldest first'), skipped: SkippedSchema });
const VIEW = { access: 'view_dashboards', audit: 'data_access' } as const;
const IdSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_.-]+$/).describe('report file name without .json') });

export const evaluationRoutes: FastifyPluginAsync<DashboardDeps> = async (app, deps) => {
  const one = { 200: EvaluationSchema, 404: ErrorSchema };
  const none = () => ({ error: 'not_found', message: `no ttm evaluate report in ${deps.evaluationsDir}`, hint: 'run ttm evaluate (it saves each report there)' });

  app.get('/evaluations', { schema: { summary: 'stored ttm evaluate reports, oldest first (view_dashboards)', response: { 200: ListSchema } } as never, config: VIEW }, async () => {
    const { evaluations, skipped } = await readEvaluations(deps.evaluationsDir);
    return { evaluations: evaluations.map(summarize), skipped };
  });

  app.get('/evaluations/latest', { schema: { summary: 'the latest ttm evaluate report (view_dashboards)', response: one } as never, config: VIEW }, async (_req, reply) => {
    const { evaluations } = await readEvaluations(deps.evaluationsDir);
    return evaluations.length ? evaluations[evaluations.length - 1] : reply.code(404).send(none());
  });

  app.get<{ Params: { id: string } }>('/evaluations/:id', { schema: { summary: 'one ttm evaluate report (view_dashboards)', params: IdSchema, response: one } as never, config: VIEW }, async (req, reply) => {
    const { evaluations } = await readEvaluations(deps.evaluationsDir);
    const e = evaluations.find((x) => x.id === req.params.id);
    return e ?? reply.code(404).send({ ...none(), message: `no evaluation ${req.params.id} in ${deps.evaluationsDir}` });
  });
};
