/**
 * Calendar covariates: facts about a week that are known years ahead, with no user column.
 * Holidays and retail dates come from `date-holidays` (a maintained calendar library), never
 * from a list kept here. Channels, for the week [day, day + 6]:
 * - `week_sin`, `week_cos`: the week's position in the year (one harmonic, smooth across years);
 * - `holidays`: public holidays of the country in the week;
 * - `retail_events`: the country's observances in the week (Mother's Day, Dia dos Namorados,
 *   Father's Day, Easter, …) plus Black Friday, the day after US Thanksgiving as the library
 *   dates it (Brazilian retail follows the US date).
 */
import Holidays from 'date-holidays';
import { ConfigError } from '../errors.js';

export const CALENDAR_CHANNELS = ['week_sin', 'week_cos', 'holidays', 'retail_events'] as const;

const DAY_MS = 86_400_000;

interface YearDays {
  holidays: Set<number>;
  events: Set<number>;
}

const cache = new Map<string, YearDays>();

/** Country codes the library knows (checked when a model is configured). */
export function checkCountry(country: string): void {
  if (!new Holidays().getCountries()[country]) {
    throw new ConfigError(`--calendar: "${country}" is not a country code the calendar library knows`, { hint: 'use an ISO 3166 code such as BR or US' });
  }
}

function dayNumber(date: Date | string): number {
  const d = typeof date === 'string' ? new Date(`${date.slice(0, 10)}T00:00:00Z`) : date;
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / DAY_MS);
}

const blackFridays = new Map<number, number>();

/** Day number of Black Friday: the day after US Thanksgiving as the library dates it (NaN if it cannot). */
export function blackFriday(year: number): number {
  let day = blackFridays.get(year);
  if (day === undefined) {
    const t = new Holidays('US').getHolidays(year).find((h) => h.rule.includes('4th thursday in November'));
    day = t ? dayNumber(t.date) + 1 : Number.NaN;
    blackFridays.set(year, day);
  }
  return day;
}

function yearDays(country: string, year: number): YearDays {
  const key = `${country}:${year}`;
  let y = cache.get(key);
  if (y) return y;
  y = { holidays: new Set(), events: new Set() };
  for (const h of new Holidays(country).getHolidays(year)) {
    const day = dayNumber(h.date);
    if (h.type === 'public') y.holidays.add(day);
    else if (h.type === 'observance') y.events.add(day);
  }
  const bf = blackFriday(year);
  if (!Number.isNaN(bf)) y.events.add(bf);
  cache.set(key, y);
  return y;
}

/** The calendar channels (CALENDAR_CHANNELS order) of the week starting on day number `day`. */
export function calendarValues(country: string, day: number, out: number[] = []): number[] {
  const mid = new Date((day + 3) * DAY_MS);
  const year = mid.getUTCFullYear();
  const phase = (2 * Math.PI * (day + 3 - Date.UTC(year, 0, 1) / DAY_MS)) / 365.25;
  let holidays = 0;
  let events = 0;
  for (const y of new Set([new Date(day * DAY_MS).getUTCFullYear(), new Date((day + 6) * DAY_MS).getUTCFullYear()])) {
    const days = yearDays(country, y);
    for (let d = day; d <= day + 6; d++) {
      if (days.holidays.has(d)) holidays++;
      if (days.events.has(d)) events++;
    }
  }
  out.length = 0;
  out.push(Math.sin(phase), Math.cos(phase), holidays, events);
  return out;
}
