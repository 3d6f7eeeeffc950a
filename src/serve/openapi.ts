/** The OpenAPI 3.0 document: paths from the registered routes, bodies from their zod schemas. */
import { z } from 'zod';
import { VERSION } from '../version.js';
import type { Access } from './auth/permissions.js';

export interface OpenApiRoute {
  method: string;
  url: string;
  schema?: { summary?: string; body?: z.ZodType; response?: Record<number, z.ZodType> };
  access: Access;
}

const json = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { target: 'openapi-3.0', io, unrepresentable: 'any' });

export function openApiDocument(routes: readonly OpenApiRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    if (r.method === 'HEAD') continue;
    const s = r.schema ?? {};
    const responses: Record<string, unknown> = {};
    for (const [code, schema] of Object.entries(s.response ?? {})) {
      responses[code] = { description: Number(code) < 400 ? 'success' : 'error', content: { 'application/json': { schema: json(schema, 'output') } } };
    }
    if (Object.keys(responses).length === 0) responses['200'] = { description: 'success' };
    if (r.access !== 'open') {
      responses['401'] = { description: 'no or invalid credential' };
      responses['403'] = { description: 'the credential lacks the permission' };
    }
    (paths[r.url] ??= {})[r.method.toLowerCase()] = {
      summary: s.summary,
      ...(r.access === 'open' ? { security: [] } : {}),
      'x-permission': r.access,
      ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(s.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'ttm forecasting API', version: VERSION },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API key (ttm_…) or an OIDC access token (JWT)' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
  };
}
