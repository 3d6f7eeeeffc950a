/**
 * The forecast that leaves the tool: the model's forecast blended with a robust level (the
 * median of the series' last weeks), per channel, with weights chosen on validation weeks at
 * training time. Weekly retail series are dominated by promotion spikes that no input column
 * announces; a robust level is hard to beat on WAPE, and the blend keeps what the model adds.
 */
import { z } from 'zod';

export const BlendSchema = z.object({
  /** weeks in the robust median */
  window: z.number().int().nonnegative(),
  /** per channel: weight of the model's forecast (1 = model only, 0 = median only) */
  modelWeight: z.array(z.number().min(0).max(1)),
});
export type Blend = z.infer<typeof BlendSchema>;

/** Median of the last `window` observed values (observed mask 1); 0 when none. */
export function robustLevel(history: ArrayLike<number>, observed: ArrayLike<number> | undefined, window: number): number {
  const tail: number[] = [];
  for (let t = history.length - 1; t >= 0 && tail.length < window; t--) if (!observed || observed[t]) tail.push(history[t]);
  if (tail.length === 0) return 0;
  tail.sort((a, b) => a - b);
  const m = tail.length >> 1;
  return tail.length % 2 ? tail[m] : (tail[m - 1] + tail[m]) / 2;
}

/** forecast [H, C] row-major (model, original units), levels [C] → blended [H, C], never negative */
export function applyBlend(forecast: Float64Array, levels: number[], blend: Blend): Float64Array {
  const C = levels.length;
  const out = new Float64Array(forecast.length);
  for (let i = 0; i < forecast.length; i++) {
    const c = i % C;
    const w = blend.modelWeight[c] ?? 1;
    out[i] = Math.max(0, w * forecast[i] + (1 - w) * levels[c]);
  }
  return out;
}
