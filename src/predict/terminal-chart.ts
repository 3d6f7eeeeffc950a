/**
 * A compact text chart of one channel for the terminal: recent history ("*"), the forecast ("o")
 * and its interval (":"), one column per week, the y-axis from 0 to the largest value shown.
 * Plain ASCII so it survives any terminal, pipe or log.
 */
export interface ChartInput {
  /** values before the forecast, oldest first (the chart shows the last `width - horizon` of them) */
  history: ArrayLike<number>;
  forecast: ArrayLike<number>;
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  label?: string;
}

export function terminalChart(input: ChartInput, { width = 60, height = 8 } = {}): string {
  const H = input.forecast.length;
  const nHist = Math.max(0, Math.min(input.history.length, width - H));
  const hist = Array.from({ length: nHist }, (_, i) => input.history[input.history.length - nHist + i]);
  const cols = nHist + H;
  const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : NaN);
  let top = 0;
  for (const x of hist) top = Math.max(top, finite(x) || 0);
  for (let h = 0; h < H; h++) top = Math.max(top, finite(input.forecast[h]) || 0, finite(input.upper?.[h]) || 0);
  if (top <= 0) top = 1;
  const rowOf = (v: number) => Math.max(0, Math.min(height - 1, Math.round((v / top) * (height - 1))));
  const grid = Array.from({ length: height }, () => Array<string>(cols).fill(' '));
  hist.forEach((v, i) => {
    if (Number.isFinite(v)) grid[rowOf(v)][i] = '*';
  });
  for (let h = 0; h < H; h++) {
    const x = nHist + h;
    const lo = finite(input.lower?.[h]);
    const hi = finite(input.upper?.[h]);
    if (Number.isFinite(lo) && Number.isFinite(hi)) for (let r = rowOf(lo); r <= rowOf(hi); r++) grid[r][x] = ':';
    const v = finite(input.forecast[h]);
    if (Number.isFinite(v)) grid[rowOf(v)][x] = 'o';
  }
  const axis = (v: number) => String(Number(v.toPrecision(3)));
  const w = Math.max(axis(top).length, 1);
  const lines = grid.reverse().map((row, k) => {
    const tick = k === 0 ? axis(top) : k === height - 1 ? '0' : '';
    return `${tick.padStart(w)} |${row.join('')}`.trimEnd();
  });
  lines.push(`${' '.repeat(w)} +${'-'.repeat(nHist)}${'^'}${'-'.repeat(Math.max(0, H - 1))}`);
  if (input.label) lines.unshift(`${input.label}  (* history, o forecast, : interval; ^ first forecast week)`);
  return lines.join('\n');
}
