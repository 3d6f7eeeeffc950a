/**
 * Retail peak weeks, where stock is planned: the week holding Black Friday (the day after US
 * Thanksgiving, as the calendar library dates it; Brazil follows the US date) and the weeks
 * overlapping the 14 days before Christmas Day. Scored apart because a model can do well on
 * average and still stay flat through them.
 */
import { blackFriday } from '../data/index.js';

const DAY_MS = 86_400_000;

/** True when the week starting on day number `day` is a peak week. */
export function isPeakWeek(day: number): boolean {
  const year = new Date((day + 6) * DAY_MS).getUTCFullYear();
  const bf = blackFriday(year);
  if (bf >= day && bf <= day + 6) return true;
  const christmas = Date.UTC(year, 11, 25) / DAY_MS;
  return day + 6 >= christmas - 14 && day <= christmas - 1;
}
