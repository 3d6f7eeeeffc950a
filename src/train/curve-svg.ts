/**
 * Training curve as a standalone SVG string: loss and val_loss per epoch on the left axis,
 * learning rate on the right axis. Pure: data in, text out. Non-finite values leave a gap.
 */
import { escapeXml } from '../evaluate/index.js';

export interface CurvePoint {
  epoch: number;
  loss?: number;
  valLoss?: number;
  lr?: number;
}

export interface CurveOptions {
  title?: string;
  width?: number;
  height?: number;
  /** Log scale for the loss axis (non-positive losses are then left out). */
  logScale?: boolean;
}

const SERIES = [
  { key: 'loss', label: 'loss', color: '#1f77b4', axis: 'left', dash: '' },
  { key: 'valLoss', label: 'val_loss', color: '#ff7f0e', axis: 'left', dash: '' },
  { key: 'lr', label: 'lr', color: '#7f7f7f', axis: 'right', dash: '4 3' },
] as const;

const M = { top: 48, right: 72, bottom: 44, left: 72 };

/** Short, locale-free number label. */
function fmt(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(1).replace('e+', 'e') : String(Number(x.toPrecision(3)));
}

/** About `n` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((f) => f * mag >= raw * (1 - 1e-9)) ?? 10) * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

interface Scale {
  lo: number;
  hi: number;
  map: (v: number) => number;
  ok: (v: number | undefined) => v is number;
  ticks: number[];
}

function scale(values: number[], y0: number, y1: number, log: boolean): Scale {
  const ok = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && (!log || v > 0);
  const vs = values.filter(ok);
  const f = log ? Math.log10 : (v: number) => v;
  let lo = vs.length ? Math.min(...vs.map(f)) : 0;
  let hi = vs.length ? Math.max(...vs.map(f)) : 1;
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const ticks = log
    ? niceTicks(Math.floor(lo), Math.ceil(hi), Math.min(6, Math.ceil(hi) - Math.floor(lo))).filter((t) => Number.isInteger(t)).map((t) => 10 ** t)
    : niceTicks(lo, hi);
  if (log) {
    lo = Math.floor(lo);
    hi = Math.ceil(hi);
  } else {
    lo = Math.min(lo, ticks[0]);
    hi = Math.max(hi, ticks[ticks.length - 1]);
  }
  return { lo, hi, ok, ticks, map: (v) => y0 + ((f(v) - lo) / (hi - lo)) * (y1 - y0) };
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** The SVG document for `points` (one per epoch, in order). */
export function trainingCurveSvg(points: readonly CurvePoint[], options: CurveOptions = {}): string {
  const { width: W = 720, height: H = 360, title = 'Training curve', logScale = false } = options;
  const x0 = M.left;
  const x1 = W - M.right;
  const yb = H - M.bottom;
  const yt = M.top;
  const epochs = points.map((p) => p.epoch);
  const eLo = epochs.length ? Math.min(...epochs) : 0;
  const eHi = epochs.length ? Math.max(...epochs) : 1;
  const xs = (e: number) => (eHi === eLo ? (x0 + x1) / 2 : x0 + ((e - eLo) / (eHi - eLo)) * (x1 - x0));
  const left = scale(points.flatMap((p) => [p.loss, p.valLoss].filter((v): v is number => v !== undefined)), yb, yt, logScale);
  // The learning-rate axis starts at 0.
  const right = scale([0, ...points.flatMap((p) => (p.lr === undefined ? [] : [p.lr]))], yb, yt, false);
  const hasLr = points.some((p) => right.ok(p.lr));

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`);
  // Axes and grid.
  out.push(`<g class="axes" stroke="#333" fill="none">`);
  out.push(`<line x1="${x0}" y1="${yb}" x2="${x1}" y2="${yb}"/><line x1="${x0}" y1="${yt}" x2="${x0}" y2="${yb}"/>`);
  if (hasLr) out.push(`<line x1="${x1}" y1="${yt}" x2="${x1}" y2="${yb}"/>`);
  out.push(`</g>`);
  out.push(`<g class="ticks" fill="#333">`);
  for (const e of niceTicks(eLo, eHi, Math.min(10, Math.max(1, eHi - eLo))).filter(Number.isInteger)) {
    out.push(`<text x="${r2(xs(e))}" y="${yb + 16}" text-anchor="middle">${e}</text>`);
  }
  for (const t of left.ticks) {
    const y = r2(left.map(t));
    out.push(`<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="#eee"/><text x="${x0 - 6}" y="${y + 4}" text-anchor="end">${fmt(t)}</text>`);
  }
  if (hasLr) {
    for (const t of right.ticks) out.push(`<text x="${x1 + 6}" y="${r2(right.map(t)) + 4}">${fmt(t)}</text>`);
  }
  out.push(`<text x="${(x0 + x1) / 2}" y="${H - 8}" text-anchor="middle">epoch</text>`);
  out.push(`<text transform="translate(16 ${(yt + yb) / 2}) rotate(-90)" text-anchor="middle">loss${logScale ? ' (log)' : ''}</text>`);
  if (hasLr) out.push(`<text transform="translate(${W - 12} ${(yt + yb) / 2}) rotate(90)" text-anchor="middle">learning rate</text>`);
  out.push(`</g>`);
  // Series: a path with gaps at missing values, and a marker with a tooltip per point.
  SERIES.forEach((s, i) => {
    const sc = s.axis === 'left' ? left : right;
    let d = '';
    let pen = 'M';
    const marks: string[] = [];
    for (const p of points) {
      const v = p[s.key];
      if (!sc.ok(v)) {
        pen = 'M';
        continue;
      }
      const x = r2(xs(p.epoch));
      const y = r2(sc.map(v));
      d += `${pen}${x},${y} `;
      pen = 'L';
      marks.push(`<circle cx="${x}" cy="${y}" r="2.5"><title>epoch ${p.epoch} ${s.label} ${v}</title></circle>`);
    }
    if (!marks.length) return;
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    out.push(`<g class="series" data-series="${s.label}" stroke="${s.color}" fill="${s.color}">`);
    out.push(`<path d="${d.trim()}" fill="none" stroke-width="1.5"${dash}/>`);
    out.push(...marks);
    out.push(`</g>`);
    // Legend: one row above the plot.
    const lx = x0 + i * 96;
    const ly = yt - 14;
    out.push(`<g class="legend"><line x1="${lx}" y1="${ly}" x2="${lx + 20}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/><text x="${lx + 26}" y="${ly + 4}">${s.label}</text></g>`);
  });
  out.push(`</svg>`);
  return out.join('\n') + '\n';
}
