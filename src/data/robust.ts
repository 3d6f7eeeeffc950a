/** Robust statistics for the outlier rule. */

/** Median of the values (copied, not modified); NaN when empty. */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const s = Float64Array.from(values).sort();
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Outlier rule: modified z-score on log1p(units), |x - median| / max(1.4826 MAD, floor) > k. */
export const OUTLIER_RULE = { k: 3.5, scaleFloor: 0.4 } as const;

/** Flags for the outliers among `values` (units; negatives count as 0). */
export function robustOutliers(values: ArrayLike<number>, rule = OUTLIER_RULE): Uint8Array {
  const x = Float64Array.from(values, (v) => Math.log1p(Math.max(v, 0)));
  const flags = new Uint8Array(x.length);
  if (x.length < 3) return flags;
  const med = median(x);
  const mad = median(x.map((v) => Math.abs(v - med)));
  const scale = Math.max(1.4826 * mad, rule.scaleFloor);
  for (let i = 0; i < x.length; i++) flags[i] = Math.abs(x[i] - med) / scale > rule.k ? 1 : 0;
  return flags;
}
