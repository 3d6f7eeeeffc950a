/** The body of a dashboard endpoint's 4xx answer, as the server's other errors have it. */
import { z } from 'zod';

export const ErrorBodySchema = z.object({ error: z.string(), message: z.string(), hint: z.string().optional() });
