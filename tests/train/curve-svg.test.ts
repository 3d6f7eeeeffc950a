import { describe, it, expect } from 'vitest';
import { trainingCurveSvg, niceTicks, type CurvePoint } from '../../src/train/curve-svg.js';

/** Minimal XML well-formedness check: one root, balanced tags, quoted attributes, escaped text. */
function expectWellFormed(xml: string): void {
  const stack: string[] = [];
  let roots = 0;
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml)) !== null) {
    const [, close, name, , selfClose, text, stray] = m;
    if (stray) throw new Error(`malformed tag at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
    if (text !== undefined) {
      if (/&(?!#\d+;|amp;|lt;|gt;|quot;|apos;)/.test(text)) throw new Error(`unescaped & in "${text}"`);
      if (!stack.length && text.trim()) throw new Error(`text outside the root: "${text}"`);
      continue;
    }
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClose) {
      if (!stack.length) roots++;
      stack.push(name);
    } else if (!stack.length) roots++;
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

/** The [x, y] of each marker of one series, with its tooltip. */
function markers(svg: string, series: string): { x: number; y: number; title: string }[] {
  const group = svg.match(new RegExp(`<g class="series" data-series="${series}"[^>]*>([\\s\\S]*?)</g>`));
  if (!group) return [];
  return [...group[1].matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+"><title>([^<]*)<\/title>/g)].map((c) => ({
    x: Number(c[1]),
    y: Number(c[2]),
    title: c[3],
  }));
}

const POINTS: CurvePoint[] = [
  { epoch: 1, loss: 1.0, valLoss: 1.2, lr: 2e-5 },
  { epoch: 2, loss: 0.6, valLoss: 0.9, lr: 5e-4 },
  { epoch: 3, loss: 0.4, valLoss: 0.95, lr: 3e-4 },
  { epoch: 4, loss: 0.3, valLoss: 1.1, lr: 2e-9 },
];

describe('train/curve-svg', () => {
  it('is a well-formed SVG document', () => {
    const svg = trainingCurveSvg(POINTS, { title: 'run <a> & "b"' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expectWellFormed(svg);
    expect(svg).toContain('run &lt;a&gt; &amp; &quot;b&quot;');
  });

  it('has a marker per point and series, with its value, placed in order', () => {
    const svg = trainingCurveSvg(POINTS);
    for (const [series, key] of [['loss', 'loss'], ['val_loss', 'valLoss'], ['lr', 'lr']] as const) {
      const ms = markers(svg, series);
      expect(ms.map((m) => m.title)).toEqual(POINTS.map((p) => `epoch ${p.epoch} ${series} ${p[key]}`));
      // x grows with the epoch; y (SVG grows downwards) falls as the value rises.
      for (let i = 1; i < ms.length; i++) {
        expect(ms[i].x).toBeGreaterThan(ms[i - 1].x);
        const dv = POINTS[i][key]! - POINTS[i - 1][key]!;
        expect(Math.sign(ms[i - 1].y - ms[i].y)).toBe(Math.sign(dv));
      }
    }
    // loss and val_loss share the left axis: equal values, equal heights.
    const loss = markers(svg, 'loss');
    const val = markers(svg, 'val_loss');
    expect(loss[0].y).toBeGreaterThan(val[0].y);
    const path = svg.match(/data-series="loss"[^>]*>\s*<path d="([^"]*)"/)![1];
    expect(path.split(' ')).toHaveLength(4);
    expect(path.startsWith('M')).toBe(true);
  });

  it('leaves a gap at missing or non-finite values', () => {
    const svg = trainingCurveSvg([
      { epoch: 0, loss: 2 },
      { epoch: 1, loss: NaN },
      { epoch: 2, loss: 1 },
      { epoch: 3, loss: 0.5 },
    ]);
    expectWellFormed(svg);
    const d = svg.match(/data-series="loss"[^>]*>\s*<path d="([^"]*)"/)![1];
    expect(d.match(/M/g)).toHaveLength(2);
    expect(markers(svg, 'loss')).toHaveLength(3);
    expect(markers(svg, 'val_loss')).toHaveLength(0);
    expect(svg).not.toContain('learning rate');
  });

  it('draws one point, no points, and a log scale without breaking', () => {
    expectWellFormed(trainingCurveSvg([]));
    expectWellFormed(trainingCurveSvg([{ epoch: 5, loss: 1, valLoss: 1, lr: 1e-3 }]));
    const svg = trainingCurveSvg([{ epoch: 1, loss: 1e8 }, { epoch: 2, loss: 3e6 }, { epoch: 3, loss: 0.5 }, { epoch: 4, loss: 0 }], { logScale: true });
    expectWellFormed(svg);
    expect(markers(svg, 'loss')).toHaveLength(3);
    expect(svg).toContain('loss (log)');
  });

  it('picks round tick values', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.3, 1.2)).toEqual([0.4, 0.6, 0.8, 1, 1.2]);
    expect(niceTicks(1, 1)).toEqual([1]);
  });
});
