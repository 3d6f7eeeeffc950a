import { describe, expect, it } from 'vitest';
import { detectDialect, loadWeekly, parseColumnMap, parseNumber, readDialectFile } from '../../src/data/index.js';
import { tmpFiles, weeklyCsv } from './tmp-csv.js';

const file = tmpFiles();
const plain = weeklyCsv([
  { produto: 1, regiao: 2, start: '2024-01-01', vendas: [10, 12, 9, 1500], price: 2.5 },
  { produto: 3, regiao: 2, start: '2024-01-08', vendas: [4, 0, 7], price: 1.25 },
]);

/** The same rows as Excel in pt-BR writes them: `;`, decimal commas, DD/MM/YYYY, Portuguese names. */
function ptBr(csv: string): string {
  const [, ...rows] = csv.trim().split('\n');
  const out = ['data;produto;uf;qtd;receita'];
  for (const r of rows) {
    const [d, p, u, v, f] = r.split(',');
    const [y, m, dd] = d.split('-');
    const money = Number(f).toLocaleString('pt-BR', { minimumFractionDigits: 2 }); // 3.750,00
    out.push([`${dd}/${m}/${y}`, p, u, v, money].join(';'));
  }
  return `${out.join('\n')}\n`;
}
const COLUMNS = 'date=data,produto_cat=produto,uf_cat=uf,vendas=qtd,faturamento=receita';

describe('CSV dialects', () => {
  it('reads a pt-BR export with a column map into the same dataset as the plain CSV', async () => {
    const a = await loadWeekly(file('plain.csv', plain));
    const text = ptBr(plain);
    expect(text).toContain('3.750,00'); // a thousands separator and a decimal comma
    const b = await loadWeekly(file('ptbr.csv', text), { csv: { columns: parseColumnMap(COLUMNS) } });
    expect(b.series.map((s) => [s.produto, s.regiao, s.start, s.length])).toEqual(a.series.map((s) => [s.produto, s.regiao, s.start, s.length]));
    b.series.forEach((s, i) => s.values.forEach((v, c) => expect([...v]).toEqual([...a.series[i].values[c]])));
    expect(b.firstWeek).toBe(a.firstWeek);
  });

  it('detects ;, the decimal comma and DD/MM/YYYY dates; flags override the detection', async () => {
    const p = file('d.csv', ptBr(plain));
    expect(await detectDialect(p, { columns: parseColumnMap(COLUMNS) })).toEqual({ delimiter: ';', decimal: ',', dateFormat: 'dmy', columns: parseColumnMap(COLUMNS) });
    expect((await detectDialect(p, { decimal: '.' })).decimal).toBe('.');
    expect(await detectDialect(file('p.csv', plain))).toEqual({ delimiter: ',', decimal: '.', dateFormat: 'iso', columns: {} });
  });

  it('names the flag to use when the header is in other words or the numbers have decimal commas', async () => {
    await expect(loadWeekly(file('x.csv', ptBr(plain)))).rejects.toThrow(/column "date" not found \(has: data, produto, uf, qtd, receita\)/);
    const err = await loadWeekly(file('y.csv', ptBr(plain)), { csv: { columns: parseColumnMap(COLUMNS), decimal: '.' } }).catch((e) => e);
    expect(err.message).toMatch(/y\.csv:2:5: column "receita": "25,00" is not a number/);
  });

  it('parses numbers in either decimal mark and refuses ambiguous ones', () => {
    expect(parseNumber('1.234,5', ',')).toBe(1234.5);
    expect(parseNumber('12,75', ',')).toBe(12.75);
    expect(parseNumber('1.5', ',')).toBeNaN();
    expect(parseNumber('1234.5', '.')).toBe(1234.5);
    expect(parseNumber('', ',')).toBeNaN();
  });

  it('checks the column map and the dialect file', async () => {
    expect(() => parseColumnMap('data=date')).toThrow(/"data" is not one of date, produto_cat/);
    expect(() => parseColumnMap('vendas')).toThrow(/not NAME=COLUMN/);
    const f = file('dialect.json', JSON.stringify({ delimiter: ';', decimal: ',', columns: { vendas: 'qtd' } }));
    expect(await readDialectFile(f)).toEqual({ delimiter: ';', decimal: ',', columns: { vendas: 'qtd' } });
    await expect(readDialectFile(file('bad.json', '{"decimal": "x"}'))).rejects.toThrow(/bad\.json: not a CSV dialect file: decimal/);
  });
});
