import { describe, expect, it } from 'vitest';
import { mergeForecastCsv } from '../../src/predict/merge-forecasts.js';

const H = 'date,produto_cat,uf_cat,vendas';
const rows = (p: number, r: number) => [`2024-01-01,${p},${r},1.5`, `2024-01-08,${p},${r},2`];

describe('mergeForecastCsv', () => {
  it('puts series blocks back in produto, regiao order whatever the file order, keeping each block\'s rows', () => {
    const a = { name: 'a.csv', text: [H, ...rows(0, 1), ...rows(0, 10)].join('\n') + '\n' };
    const b = { name: 'b.csv', text: [H, ...rows(2, 0)].join('\n') + '\n' };
    const c = { name: 'c.csv', text: `${H}\n` };
    const want = [H, ...rows(0, 1), ...rows(0, 10), ...rows(2, 0)].join('\n') + '\n';
    expect(mergeForecastCsv([b, c, a])).toBe(want);
    expect(mergeForecastCsv([a, b, c])).toBe(want);
    expect(mergeForecastCsv([c])).toBe(`${H}\n`);
  });

  it('refuses a series given twice, other columns, JSON, and short rows, naming file and line', () => {
    const a = { name: 'a.csv', text: [H, ...rows(0, 1)].join('\n') + '\n' };
    expect(() => mergeForecastCsv([a, { ...a, name: 'again.csv' }])).toThrow(/again\.csv:2: series produto 0 regiao 1 is already in a\.csv:2/);
    expect(() => mergeForecastCsv([a, { name: 'b.csv', text: `${H},faturamento\n` }])).toThrow(/b\.csv:1: columns differ from a\.csv:1/);
    expect(() => mergeForecastCsv([{ name: 'j.json', text: '{\n"series": []}\n' }])).toThrow(/j\.json: a JSON document/);
    expect(() => mergeForecastCsv([{ name: 't.csv', text: `${H}\n2024-01-01,0,1\n` }])).toThrow(/t\.csv:2: 3 fields, the header has 4/);
    expect(() => mergeForecastCsv([])).toThrow(/no forecast file/);
  });
});
