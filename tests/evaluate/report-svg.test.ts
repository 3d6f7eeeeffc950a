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

  it('survives empty and all-missing panels', () => {
    expect(reportSvg([])).toContain('</svg>');
    const empty = reportSvg([{ regiao: 1, dates: ['2024-01-04'], actual: [NaN], forecast: [NaN] }]);
    expect(empty).not.toContain('NaN');
    expect(empty).not.toContain('polyline');
  });
});
