/**
 * One number format per table column: every number of a column gets the same count of decimals,
 * chosen from the column's largest magnitude (about four significant digits there), so 0.003,
 * 0.249 and 6.899 line up, and MAE 366.9 sits beside RMSE 2245 without a format change inside a
 * column. Non-finite numbers show as "–".
 */
export function columnDecimals(values: readonly number[]): number {
  const finite = values.filter((x) => Number.isFinite(x));
  if (finite.length === 0 || finite.every((x) => Number.isInteger(x))) return 0;
  const top = Math.max(...finite.map((x) => Math.abs(x)));
  if (top === 0) return 0;
  return Math.min(4, Math.max(0, 3 - Math.floor(Math.log10(top))));
}

/** A formatter for one column's numbers. */
export function columnFormat(values: readonly number[]): (x: number) => string {
  const d = columnDecimals(values);
  return (x) => (Number.isFinite(x) ? x.toFixed(d) : '–');
}

/** A ratio as a percentage with one decimal (25.3%), the terminal's and the HTML report's form. */
export const percent = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–');
