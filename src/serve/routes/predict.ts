/** POST /predict: one series, by key or with its history inline. */
import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../http-error.js';
import { predictBodies } from '../predict-handler.js';
import { ErrorSchema, PredictRequestSchema, PredictResponseSchema, type PredictRequest } from '../schemas.js';

export const predictRoute: FastifyPluginAsync = async (app) => {
  app.post(
    '/predict',
    {
      schema: {
        summary: 'forecast one series (vendas and faturamento) with calibrated intervals',
        body: PredictRequestSchema,
        response: { 200: PredictResponseSchema, 400: ErrorSchema, 404: ErrorSchema, 422: ErrorSchema, 503: ErrorSchema },
      } as never,
      config: { access: 'read_predictions', audit: 'model_prediction', prediction: true },
    },
    async (req) => {
      const body = req.body as PredictRequest;
      req.auditDetail = { produto_id: body.produto_id, regiao_id: body.regiao_id, source: body.history ? 'history' : 'data' };
      const { model, out } = await predictBodies(app.ttm, req, [body]);
      req.auditDetail.model_version = model;
      const r = out[0];
      if (r instanceof HttpError) throw r;
      return r;
    },
  );
};
