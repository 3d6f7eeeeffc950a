/**
 * GET /series (the list the explorer searches) and GET /series/:produto/:regiao (one series'
 * history with its forecast and 90% interval).
 */
import { z } from 'zod';
import { formatDay, seriesEnd, type Series, type WeeklyDataset } from '../../data/index.js';
import { levelName, type SeriesPrediction } from '../../predict/index.js';
import { finite } from './overview.js';
import { ufLabel } from './uf.js';

export const SeriesListSchema = z.object({
  count: z.number().int(),
  series: z.array(z.object({ produto: z.number(), regiao: z.number(), uf: z.string(), first_week: z.string(), last_week: z.string() })),
});

export function seriesList(ds: WeeklyDataset): z.infer<typeof SeriesListSchema> {
  const day = (w: number) => formatDay(ds.firstWeek + 7 * w);
  return {
    count: ds.series.length,
    series: ds.series.map((s) => ({ produto: s.produto, regiao: s.regiao, uf: ufLabel(s.regiao), first_week: day(s.start), last_week: day(seriesEnd(s)) })),
  };
}

export const SeriesParamsSchema = z.object({
  produto: z.coerce.number().int().describe('produto_cat'),
  regiao: z.coerce.number().int().describe('uf_cat'),
});

export const SeriesQuerySchema = z.object({
  history: z.coerce.number().int().min(1).max(1040).default(156).describe('weeks of history before the forecast'),
});

const Band = z.object({ value: z.array(z.number()), lower: z.array(z.number().nullable()), upper: z.array(z.number().nullable()) });

export const SeriesDetailSchema = z.object({
  produto: z.number(),
  regiao: z.number(),
  uf: z.string(),
  model_version: z.string(),
  level: z.number(),
  history: z.object({ dates: z.array(z.string()), channels: z.record(z.string(), z.array(z.number().nullable())) }),
  forecast: z.object({ dates: z.array(z.string()), channels: z.record(z.string(), Band) }),
});
export type SeriesDetail = z.infer<typeof SeriesDetailSchema>;

/** History (the last `weeks`; an unobserved week is null) and forecast of one series. */
export function seriesDetail(ds: WeeklyDataset, s: Series, p: SeriesPrediction, o: { weeks: number; level: number; version: string }): SeriesDetail {
  const from = Math.max(0, s.length - o.weeks);
  const dates = Array.from({ length: s.length - from }, (_, k) => formatDay(ds.firstWeek + 7 * (s.start + from + k)));
  const history: Record<string, (number | null)[]> = {};
  const forecast: Record<string, z.infer<typeof Band>> = {};
  ds.channels.forEach((ch, c) => {
    history[ch] = dates.map((_, k) => (s.observed[from + k] ? s.values[c][from + k] : null));
    const iv = p.intervals[levelName(o.level)][ch];
    forecast[ch] = { value: p.values[ch], lower: iv.lo.map(finite), upper: iv.hi.map(finite) };
  });
  return {
    produto: s.produto,
    regiao: s.regiao,
    uf: ufLabel(s.regiao),
    model_version: o.version,
    level: o.level,
    history: { dates, channels: history },
    forecast: { dates: p.dates, channels: forecast },
  };
}
