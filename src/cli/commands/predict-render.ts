/** Renderings of `ttm predict` results: the table with its terminal chart, the SVG plot (the JSON document is predict's `predictDocument`). */
import { formatDay, type WeeklyDataset } from '../../data/index.js';
import { reportSvg, type RegionPanel } from '../../evaluate/index.js';
import { levelName, terminalChart, type PredictResult } from '../../predict/index.js';
import { formatTable } from '../output.js';

/** History of the predicted series, per channel (for the chart and plot). */
function historyOf(ds: WeeklyDataset, produto: number, regiao: number) {
  return ds.series.find((s) => s.produto === produto && s.regiao === regiao)!;
}

/** Per series: a table of weeks x (value, bounds per level) per channel; with one series, a chart per channel. */
export function predictionsTable(r: PredictResult, ds: WeeklyDataset): string {
  const names = r.levels.map(levelName);
  const out: string[] = [];
  for (const p of r.predictions) {
    const header = ['date'];
    for (const ch of r.channels) header.push(ch, ...names.flatMap((n) => [`lo_${n}`, `hi_${n}`]));
    const rows = p.dates.map((date, h) => {
      const row: (string | number)[] = [date];
      for (const ch of r.channels) row.push(p.values[ch][h], ...names.flatMap((n) => [p.intervals[n][ch].lo[h], p.intervals[n][ch].hi[h]]));
      return row;
    });
    out.push(`produto ${p.produto}, regiao ${p.regiao}: ${r.horizon} weeks after ${p.lastWeek}, intervals ${names.map((n) => `${n}%`).join(', ')}`, formatTable(header, rows), '');
    if (r.predictions.length === 1) {
      const s = historyOf(ds, p.produto, p.regiao);
      r.channels.forEach((ch, c) => {
        const iv = p.intervals[names[0]][ch];
        out.push(terminalChart({ history: s.values[c], forecast: p.values[ch], lower: iv.lo, upper: iv.hi, label: `${ch} (interval ${names[0]}%)` }, { width: 64, height: 7 }), '');
      });
    }
  }
  return out.join('\n').trimEnd();
}

/** SVG: one panel per channel with the last year of history, the forecast and the first level's interval. */
export function predictionSvg(r: PredictResult, ds: WeeklyDataset): string {
  const p = r.predictions[0];
  const s = historyOf(ds, p.produto, p.regiao);
  const n = Math.min(52, s.length);
  const dates = [...Array.from({ length: n }, (_, k) => formatDay(ds.firstWeek + 7 * (s.start + s.length - n + k))), ...p.dates];
  const name = levelName(r.levels[0]);
  const nan = (k: number) => Array<number>(k).fill(NaN);
  const panels: RegionPanel[] = r.channels.map((ch, c) => ({
    regiao: `${p.regiao} · produto ${p.produto} · ${ch}`,
    dates,
    actual: [...s.values[c].slice(s.length - n), ...nan(r.horizon)],
    forecast: [...nan(n), ...p.values[ch]],
    lower: [...nan(n), ...p.intervals[name][ch].lo],
    upper: [...nan(n), ...p.intervals[name][ch].hi],
  }));
  return reportSvg(panels, { title: `ttm predict: produto ${p.produto}, regiao ${p.regiao} (interval ${name}%)`, columns: 1, panelWidth: 640 });
}
