/** Fastify validates with the routes' zod schemas and serialises with JSON.stringify. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

export function useZod(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema }) => {
    const s = schema as unknown as z.ZodType;
    return (data: unknown) => {
      const r = s.safeParse(data);
      return r.success ? { value: r.data } : { error: r.error };
    };
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

/** Zod issues as { path, message } with what is allowed. */
export function zodIssues(err: z.ZodError): { path: string; message: string }[] {
  return err.issues.slice(0, 20).map((i) => {
    let message = i.message;
    if (i.code === 'unrecognized_keys') message = `unknown field(s) ${i.keys.join(', ')}`;
    return { path: i.path.length ? i.path.join('.') : '(body)', message };
  });
}
