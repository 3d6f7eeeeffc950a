/**
 * Brazilian retail calendar for the synthetic generator: how much a week's demand is lifted by
 * the year's peaks. Each factor is for the week [day, day + 6].
 */
import { weekdayOf } from './weeks.js';

const DAY_MS = 86_400_000;

function dayOf(year: number, month: number, date: number): number {
  return Date.UTC(year, month - 1, date) / DAY_MS;
}

/** n-th given weekday (0 = Monday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = dayOf(year, month, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
}

interface Peak {
  /** first and last day of the peak's effect */
  from: number;
  to: number;
  lift: number;
}

/** The year's peaks: Black Friday, Christmas, Mother's Day, Valentine's (Dia dos Namorados), January lull. */
function peaksOf(year: number): Peak[] {
  const blackFriday = nthWeekday(year, 11, 4, 4);
  const mothersDay = nthWeekday(year, 5, 6, 2);
  return [
    { from: blackFriday - 3, to: blackFriday + 3, lift: 2.2 },
    { from: dayOf(year, 12, 10), to: dayOf(year, 12, 16), lift: 1.35 },
    { from: dayOf(year, 12, 17), to: dayOf(year, 12, 24), lift: 1.8 },
    { from: mothersDay - 7, to: mothersDay - 1, lift: 1.45 },
    { from: dayOf(year, 6, 6), to: dayOf(year, 6, 12), lift: 1.15 },
    { from: dayOf(year, 1, 2), to: dayOf(year, 1, 20), lift: 0.85 },
  ];
}

/** Demand multiplier of the week starting on `day` (1 = an ordinary week). */
export function retailLift(day: number): number {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  let lift = 1;
  for (const y of [year, year + 1]) {
    for (const p of peaksOf(y)) {
      const overlap = Math.min(p.to, day + 6) - Math.max(p.from, day) + 1;
      if (overlap > 0) lift *= 1 + ((p.lift - 1) * overlap) / (p.to - p.from + 1);
    }
  }
  return lift;
}

/** Fraction of the year at `day`, in [0, 1), for smooth yearly seasonality. */
export function yearFraction(day: number): number {
  const d = new Date(day * DAY_MS);
  const start = dayOf(d.getUTCFullYear(), 1, 1);
  return (day - start) / 365.25;
}
