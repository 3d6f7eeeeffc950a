/**
 * An SVG report: one small panel per region with the actuals (dark line), the forecast (blue
 * line) and its interval (light band), on a grid. A pure string builder: the caller aggregates
 * what a panel shows (e.g. a channel summed over the region's products) and writes the file.
 */

export interface RegionPanel {
  regiao: string | number;
  /** Week starts, YYYY-MM-DD; every series below is aligned to them. */
  dates: readonly string[];
  /** NaN where unknown (e.g. the future). */
  actual: ArrayLike<number>;
  /** NaN where there is no forecast (e.g. the history). */
  forecast: ArrayLike<number>;
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
}

export interface SvgOptions {
  title?: string;
  /** a note under the legend (e.g. why a band is left out) */
  note?: string;
  /** e.g. "vendas", shown in each panel's title. */
  channel?: string;
  columns?: number;
  panelWidth?: number;
  panelHeight?: number;
}

const PAD = { left: 44, right: 8, top: 20, bottom: 18 };
const COLORS = { actual: '#222', forecast: '#1f6fd1', band: '#1f6fd1', grid: '#e6e6e6', start: '#888' };

/** Up to `max` evenly spaced indices into `n` dates, always the first and the last. */
export function dateTicks(n: number, max = 6): number[] {
  if (n <= 0) return [];
  if (n === 1) return [0];
  const k = Math.min(max, n);
  return [...new Set(Array.from({ length: k }, (_, j) => Math.round((j * (n - 1)) / (k - 1))))];
}

/** First index where the forecast is finite and the actuals before it exist: where the forecast starts. */
function forecastStart(p: RegionPanel): number {
  for (let i = 0; i < p.forecast.length; i++) if (Number.isFinite(p.forecast[i])) return i;
  return -1;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Number(x.toPrecision(3)).toString());

/** Polyline segments of the finite runs of `values`. */
function lines(values: ArrayLike<number>, x: (i: number) => number, y: (v: number) => number, color: string): string {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="1.2" points="${run.join(' ')}"/>`);
    run = [];
  };
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) run.push(`${x(i).toFixed(1)},${y(values[i]).toFixed(1)}`);
    else flush();
  }
  flush();
  return out.join('');
}

/** A closed polygon over the steps where both bounds are finite (one per finite run). */
function band(lower: ArrayLike<number>, upper: ArrayLike<number>, x: (i: number) => number, y: (v: number) => number): string {
  const out: string[] = [];
  let idx: number[] = [];
  const flush = () => {
    if (idx.length > 1) {
      const top = idx.map((i) => `${x(i).toFixed(1)},${y(upper[i]).toFixed(1)}`);
      const bottom = idx.reverse().map((i) => `${x(i).toFixed(1)},${y(lower[i]).toFixed(1)}`);
      out.push(`<polygon fill="${COLORS.band}" fill-opacity="0.18" stroke="none" points="${[...top, ...bottom].join(' ')}"/>`);
    }
    idx = [];
  };
  for (let i = 0; i < lower.length; i++) {
    if (Number.isFinite(lower[i]) && Number.isFinite(upper[i])) idx.push(i);
    else flush();
  }
  flush();
  return out.join('');
}

function panel(p: RegionPanel, w: number, h: number, channel: string | undefined): string {
  let lo = 0;
  let hi = -Infinity;
  for (const a of [p.actual, p.forecast, p.lower ?? [], p.upper ?? []]) {
    for (let i = 0; i < a.length; i++) {
      if (Number.isFinite(a[i])) {
        lo = Math.min(lo, a[i]);
        hi = Math.max(hi, a[i]);
      }
    }
  }
  hi = Math.max(hi, lo + 1e-9);
  const n = Math.max(p.dates.length - 1, 1);
  const x = (i: number) => PAD.left + (i / n) * (w - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (h - PAD.top - PAD.bottom);
  const label = `regiao ${p.regiao}${channel ? ` · ${channel}` : ''}`;
  const ticks = dateTicks(p.dates.length, Math.max(2, Math.floor((w - PAD.left - PAD.right) / 70)));
  const levels = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo));
  const start = forecastStart(p);
  // The forecast line starts at the last actual before it, so the two lines join.
  const joined = Array.from({ length: p.forecast.length }, (_, i) => (i === start - 1 && Number.isFinite(p.actual[i]) ? p.actual[i] : p.forecast[i]));
  const anchor = (i: number) => (i === 0 ? 'start' : i === p.dates.length - 1 ? 'end' : 'middle');
  return [
    ...levels.map((v) => `<line class="grid" x1="${PAD.left}" x2="${w - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${COLORS.grid}" stroke-width="0.6"/>`),
    ...ticks.map((i) => `<line class="grid" x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${PAD.top}" y2="${h - PAD.bottom}" stroke="${COLORS.grid}" stroke-width="0.6"/>`),
    `<rect x="${PAD.left}" y="${PAD.top}" width="${w - PAD.left - PAD.right}" height="${h - PAD.top - PAD.bottom}" fill="none" stroke="#ccc"/>`,
    `<text x="${PAD.left}" y="13" font-size="11" font-weight="bold">${escapeXml(label)}</text>`,
    ...[0, 0.5, 1].map((f) => `<text x="${PAD.left - 3}" y="${(y(lo + f * (hi - lo)) + 3).toFixed(1)}" font-size="9" text-anchor="end">${fmt(lo + f * (hi - lo))}</text>`),
    ...ticks.map((i) => `<text class="tick" x="${x(i).toFixed(1)}" y="${h - 5}" font-size="9" text-anchor="${anchor(i)}">${escapeXml(p.dates[i])}</text>`),
    p.lower && p.upper ? band(p.lower, p.upper, x, y) : '',
    lines(p.actual, x, y, COLORS.actual),
    lines(joined, x, y, COLORS.forecast),
    start > 0
      ? `<line class="forecast-start" x1="${x(start - 1).toFixed(1)}" x2="${x(start - 1).toFixed(1)}" y1="${PAD.top}" y2="${h - PAD.bottom}" stroke="${COLORS.start}" stroke-dasharray="3,3" stroke-width="1"/><text x="${(x(start - 1) + 3).toFixed(1)}" y="${PAD.top + 9}" font-size="9" fill="${COLORS.start}">forecast from ${escapeXml(p.dates[start])}</text>`
      : '',
  ].join('');
}

/** The whole report as one SVG document. */
export function reportSvg(panels: readonly RegionPanel[], options: SvgOptions = {}): string {
  const { title = 'ttm evaluate', channel, columns = 2, panelWidth = 420, panelHeight = 180, note } = options;
  const hasBand = panels.some((p) => p.lower && p.upper);
  const head = 28;
  const legend = 16;
  const rows = Math.max(1, Math.ceil(panels.length / columns));
  const width = columns * panelWidth;
  const height = head + legend + rows * panelHeight;
  const body = panels.map((p, k) => {
    const gx = (k % columns) * panelWidth;
    const gy = head + legend + Math.floor(k / columns) * panelHeight;
    return `<g transform="translate(${gx},${gy})">${panel(p, panelWidth, panelHeight, channel)}</g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="20" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<g font-size="10" transform="translate(8,${head + 10})">`,
    `<line x1="0" y1="-3" x2="16" y2="-3" stroke="${COLORS.actual}" stroke-width="2"/><text x="20" y="0">actual</text>`,
    `<line x1="70" y1="-3" x2="86" y2="-3" stroke="${COLORS.forecast}" stroke-width="2"/><text x="90" y="0">forecast</text>`,
    hasBand ? `<rect x="150" y="-8" width="16" height="9" fill="${COLORS.band}" fill-opacity="0.18"/><text x="170" y="0">interval</text>` : '',
    note ? `<text x="${hasBand ? 230 : 150}" y="0" fill="#666">${escapeXml(note)}</text>` : '',
    `</g>`,
    ...body,
    `</svg>`,
  ].join('\n');
}
