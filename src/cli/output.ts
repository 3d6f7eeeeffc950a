/**
 * The only place that writes to the console. stdout carries results (a table, or one JSON
 * document with --json); stderr carries status lines for people.
 */
import { Chalk } from 'chalk';
import { toJsonText } from '../config/snake-case.js';
import { columnFormat } from '../evaluate/number-format.js';

const useColor = process.stderr.isTTY === true && !('NO_COLOR' in process.env);
/** chalk bound to stderr's colour support. */
export const paint = new Chalk({ level: useColor ? 1 : 0 });

let quiet = false;
export function setQuiet(value: boolean): void {
  quiet = value;
}
export function isQuiet(): boolean {
  return quiet;
}

/** A status line for people, on stderr. */
export function status(message: string): void {
  if (!quiet) process.stderr.write(`${message}\n`);
}

export function warn(message: string): void {
  process.stderr.write(`${paint.yellow('warning:')} ${message}\n`);
}

/** A result line on stdout. */
export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** One JSON document on stdout (or one JSON Lines event), keys in snake_case. */
export function printJson(value: unknown, pretty = true): void {
  process.stdout.write(`${toJsonText(value, pretty ? 2 : undefined)}\n`);
}

/** Render rows as an aligned text table; numbers right-aligned, one number format per column. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const isNumeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const formats = header.map((_, i) => columnFormat(rows.map((r) => r[i]).filter((c): c is number => typeof c === 'number')));
  const cells = [header, ...rows.map((r) => r.map((c, i) => (typeof c === 'number' ? formats[i](c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: (string | number)[]) =>
    r
      .map((c, i) => (isNumeric[i] ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
