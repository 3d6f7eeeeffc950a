/** The 404 body of an unknown series: what was asked and what the data holds. */
import { z } from 'zod';
import type { SeriesKey, WeeklyDataset } from '../../data/index.js';

export const ErrorBodySchema = z.object({ error: z.string(), message: z.string(), hint: z.string().optional() });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

const few = (xs: readonly number[]) => `${xs.slice(0, 12).join(', ')}${xs.length > 12 ? ', …' : ''} (${xs.length} in all)`;

export function notFound(ds: WeeklyDataset, key: SeriesKey): ErrorBody {
  const regioes = ds.series.filter((s) => s.produto === key.produto).map((s) => s.regiao);
  if (regioes.length === 0) {
    return { error: 'not_found', message: `produto ${key.produto} is not in the served data; produtos: ${few([...new Set(ds.series.map((s) => s.produto))])}`, hint: 'GET /series lists every series' };
  }
  return { error: 'not_found', message: `produto ${key.produto} has no series in regiao ${key.regiao}; its regioes: ${few(regioes)}`, hint: 'GET /series lists every series' };
}
