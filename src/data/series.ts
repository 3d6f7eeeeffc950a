/**
 * The weekly dataset: one `Series` per produto x uf on a shared week calendar. Week `w` of the
 * calendar starts on day `firstWeek + 7 w`; a series covers weeks `start … start + length - 1`
 * (its own first to its own last week with data).
 */
import type { Weekday } from './weeks.js';

/** The measured columns, in channel order. */
export const CHANNELS = ['vendas', 'faturamento'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a week without any row means: no sales (value 0, observed) or a gap (observed mask 0). */
export type MissingPolicy = 'zero' | 'gap';

/** A series key: the file's `produto_cat` and `uf_cat` values as written. */
export interface SeriesKey {
  produto: number;
  regiao: number;
}

/** Row-level counts kept while reading, for the quality rules. */
export interface SeriesRowStats {
  rows: number;
  /** rows with a negative vendas or faturamento */
  negativeRows: number;
  /** rows whose (series, date) appeared before */
  duplicateRows: number;
}

export interface Series extends SeriesKey {
  /** calendar index of the series' first week */
  start: number;
  /** number of weeks from the first to the last week with data */
  length: number;
  /** one array per channel (CHANNELS order), weekly sums, length `length` */
  values: Float64Array[];
  /** 1 where the week is observed (always 1 under `missing: 'zero'`) */
  observed: Uint8Array;
  /** rows that fell in each week (0 = the week had no row) */
  rowsPerWeek: Uint16Array;
  /**
   * per declared covariate (WeeklyDataset.covariates order), its weekly value from the series'
   * first week on; may run past `length` into the forecast weeks (future covariates), NaN where
   * unknown. Absent when the dataset has no covariates.
   */
  covariates?: Float64Array[];
  stats: SeriesRowStats;
}

export interface WeeklyDataset {
  file: string;
  weekStart: Weekday;
  /** day number of calendar week 0 (the earliest week of any series) */
  firstWeek: number;
  /** calendar length in weeks (up to the latest week of any series) */
  weeks: number;
  missing: MissingPolicy;
  rows: number;
  channels: readonly Channel[];
  /** names of the covariate columns read (absent or empty: none) */
  covariates?: readonly string[];
  /** sorted by produto, then regiao */
  series: Series[];
}

/** `"produto:regiao"`, the key used in maps and in preprocessor.json. */
export function seriesId(key: SeriesKey): string {
  return `${key.produto}:${key.regiao}`;
}

/** Calendar index of the series' last week. */
export function seriesEnd(s: Series): number {
  return s.start + s.length - 1;
}
