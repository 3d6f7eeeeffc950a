/** GET /openapi.json: the OpenAPI 3 document built from the routes' zod schemas. */
import type { FastifyPluginAsync } from 'fastify';
import type { OpenApiRoute } from '../openapi.js';
import { openApiDocument } from '../openapi.js';

export const openapiRoute: FastifyPluginAsync<{ routes: OpenApiRoute[] }> = async (app, opts) => {
  let doc: unknown = null;
  app.get('/openapi.json', { schema: { summary: 'this document' } as never, config: { access: 'authenticated' } }, async () => {
    doc ??= openApiDocument(opts.routes);
    return doc;
  });
};
