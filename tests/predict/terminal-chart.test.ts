import { describe, expect, it } from 'vitest';
import { terminalChart } from '../../src/predict/index.js';

describe('terminalChart', () => {
  it('draws history, forecast and interval in one column per week, y from 0 to the top value', () => {
    const chart = terminalChart({ history: [0, 2, 4], forecast: [4, 2], lower: [2, 0], upper: [8, 4] }, { width: 10, height: 5 });
    expect(chart.split('\n')).toEqual([
      '8 |   :',
      '  |   :',
      '  |  *o:',
      '  | * :o',
      '0 |*   :',
      '  +---^-',
    ]);
  });

  it('shows only the last weeks of a long history and labels the chart', () => {
    const chart = terminalChart({ history: Array.from({ length: 100 }, (_, t) => t), forecast: [100, 100], label: 'vendas' }, { width: 12, height: 4 });
    const lines = chart.split('\n');
    expect(lines[0]).toMatch(/^vendas {2}\(\* history, o forecast/);
    expect(lines[lines.length - 1]).toBe('    +----------^-');
    expect(lines[1]).toBe('100 |**********oo'); // weeks 90-99 of 0-99: all in the top row
    expect(lines).toHaveLength(6);
  });

  it('copes with an all-zero series and missing bounds', () => {
    const chart = terminalChart({ history: [0, 0], forecast: [0, NaN] }, { width: 4, height: 3 });
    expect(chart.split('\n')).toEqual(['1 |', '  |', '0 |**o', '  +--^-']);
  });
});
