import { describe, expect, it } from 'vitest';
import { reportSvg } from '../../src/evaluate/index.js';

describe('reportSvg', () => {
  const panel = {
    regiao: 'S<P>',
    dates: ['2024-01-04', '2024-01-11', '2024-01-18', '2024-01-25'],
    actual: [5, 6, NaN, NaN],
    forecast: [NaN, 6, 7, 8],
    lower: [NaN, 5, 5, 5],
    upper: [NaN, 7, 9, 11],
  };

  it('draws one panel per region with lines and the interval band', () => {
    const svg = reportSvg([panel, { ...panel, regiao: 'RJ' }, { ...panel, regiao: 'MG' }], { channel: 'vendas', columns: 2 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg.match(/<g transform="translate/g)).toHaveLength(3);
    expect(svg.match(/<polygon/g)).toHaveLength(3);
    expect(svg.match(/<polyline/g)).toHaveLength(6);
    expect(svg).toContain('regiao S&lt;P&gt; · vendas');
    expect(svg).toMatch(/height="404"/); // 28 + 16 + 2 rows of 180
  });

  it('puts date ticks along the axis, light gridlines and a marker where the forecast starts, joined to the last actual', () => {
    const dates = Array.from({ length: 30 }, (_, k) => new Date(Date.UTC(2024, 0, 4 + 7 * k)).toISOString().slice(0, 10));
    const actual = dates.map((_, k) => (k < 20 ? 10 + k : NaN));
    const forecast = dates.map((_, k) => (k >= 20 ? 30 : NaN));
    const svg = reportSvg([{ regiao: 1, dates, actual, forecast }], { columns: 1, panelWidth: 640 });
    const ticks = [...svg.matchAll(/<text class="tick"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(ticks[0]).toBe(dates[0]);
    expect(ticks[ticks.length - 1]).toBe(dates[29]);
    expect(ticks).toEqual([...ticks].sort());
    expect(svg.match(/<line class="grid"/g)!.length).toBe(5 + ticks.length);
    expect(svg).toMatch(/<line class="forecast-start"[^>]*stroke-dasharray/);
    expect(svg).toContain(`forecast from ${dates[20]}`);
    // the forecast polyline begins at the last actual's point (index 19, value 29)
    const lines = [...svg.matchAll(/<polyline[^>]*points="([^"]+)"/g)].map((m) => m[1].split(' '));
    expect(lines).toHaveLength(2);
    expect(lines[1][0]).toBe(lines[0][lines[0].length - 1]);
    expect(lines[1]).toHaveLength(11);
  });

  it('leaves the interval out of the legend when no panel has one, and shows a note', () => {
    const svg = reportSvg([{ ...panel, lower: undefined, upper: undefined }], { note: 'no interval band: why' });
    expect(svg).not.toContain('<polygon');
    expect(svg).not.toContain('>interval<');
    expect(svg).toContain('no interval band: why');
  });

  it('survives empty and all-missing panels', () => {
    expect(reportSvg([])).toContain('</svg>');
    const empty = reportSvg([{ regiao: 1, dates: ['2024-01-04'], actual: [NaN], forecast: [NaN] }]);
    expect(empty).not.toContain('NaN');
    expect(empty).not.toContain('polyline');
  });
});
