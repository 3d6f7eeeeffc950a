/**
 * Calendar arithmetic on whole days (UTC day numbers since 1970-01-01), so no time zone or
 * daylight-saving shift can move a date. A week is labelled by the date of its first day.
 *
 * Week convention (docs/data.md): by default (`weekStart: 'auto'`) weeks start on the weekday
 * of the first data row's date, so weekly exports keep their own labels unchanged (the dunnhumby
 * benchmark's Thursdays stay Thursdays). `'monday'` … `'sunday'` fix the weekday instead
 * (`'monday'` gives ISO weeks). Daily or irregular dates go to the week whose start is the
 * latest such weekday on or before them.
 */
/** The season of weekly retail data: one year of weeks. */
export const SEASON = 52;

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type WeekStart = Weekday | 'auto';

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a `YYYY-MM-DD` date, or undefined when the text is not a real calendar date. */
export function parseDay(text: string): number | undefined {
  const m = DATE_RE.exec(text);
  if (m === null) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Weekday index of a day number, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Name of the weekday of a day number. */
export function weekdayName(day: number): Weekday {
  return WEEKDAYS[weekdayOf(day)];
}

/** First day of the week that holds `day`, for weeks starting on weekday index `anchor` (0 = Monday). */
export function weekStartOf(day: number, anchor: number): number {
  return day - ((((weekdayOf(day) - anchor) % 7) + 7) % 7);
}

/** Today's day number (UTC): the default `--as-of`. The only clock read of the data layer. */
export function today(): number {
  return Math.floor(Date.now() / DAY_MS);
}
