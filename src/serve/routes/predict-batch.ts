/** POST /predict/batch: many series in one request; each answered or given its own error. */
import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../http-error.js';
import { predictBodies } from '../predict-handler.js';
import { BatchRequestSchema, BatchResponseSchema, ErrorSchema, type BatchRequest } from '../schemas.js';

export const predictBatchRoute: FastifyPluginAsync = async (app) => {
  app.post(
    '/predict/batch',
    {
      schema: {
        summary: 'forecast many series; results in request order, a failed item carries its status and error',
        body: BatchRequestSchema,
        response: { 200: BatchResponseSchema, 400: ErrorSchema, 503: ErrorSchema },
      } as never,
      config: { access: 'read_predictions', audit: 'model_prediction', prediction: true },
    },
    async (req) => {
      const { items } = req.body as BatchRequest;
      const { model, out } = await predictBodies(app.ttm, req, items);
      const results = out.map((r) => (r instanceof HttpError ? { status: r.status, error: r.body() } : r));
      const failed = out.filter((r) => r instanceof HttpError).length;
      req.auditDetail = { series: items.length, failed, model_version: model };
      return { results, metadata: { model_version: model, count: items.length, failed } };
    },
  );
};
