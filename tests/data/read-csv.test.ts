import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { forEachRow, loadWeekly } from '../../src/data/index.js';
import type { CsvRow } from '../../src/data/index.js';
import { HEADER, tmpFiles } from './tmp-csv.js';

const file = tmpFiles();

async function readAll(path: string) {
  const rows: CsvRow[] = [];
  await forEachRow(path, (r) => rows.push({ ...r }));
  return rows;
}

async function failure(path: string): Promise<DataError> {
  try {
    await readAll(path);
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected a DataError');
}

describe('forEachRow', () => {
  it('reads typed rows with their line numbers, in any column order', async () => {
    const p = file('ok.csv', 'vendas,date,uf_cat,faturamento,produto_cat,extra\n3,2024-01-01,2,6.5,7,x\n4,2024-01-08,2,8,7,y\n');
    const rows = await readAll(p);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ record: 1, produto: 7, regiao: 2, vendas: 3, faturamento: 6.5 });
    expect(rows[1].day - rows[0].day).toBe(7);
  });

  it('accepts a UTF-8 byte-order mark and CRLF line endings (Excel exports)', async () => {
    const plain = await readAll(file('plain.csv', `${HEADER}\n2024-01-01,1,1,2,4\n`));
    const bom = await readAll(file('bom.csv', `\ufeff${HEADER}\r\n2024-01-01,1,1,2,4\r\n`));
    expect(bom).toEqual(plain);
  });

  const cases: [string, string | Buffer, RegExp, string | undefined][] = [
    ['bad date', `${HEADER}\n2024-01-01,1,1,2,4\n2024-02-30,1,1,2,4\n`, /:3:1: column "date": "2024-02-30" is not a date/, 'YYYY-MM-DD'],
    ['date in another format', `${HEADER}\n01/02/2024,1,1,2,4\n`, /:2:1: column "date"/, undefined],
    ['non-numeric field', `${HEADER}\n2024-01-01,1,1,2,4\n2024-01-08,1,1,abc,4\n`, /:3:4: column "vendas": "abc" is not a number/, 'decimal mark'],
    ['empty numeric field', `${HEADER}\n2024-01-01,1,1,2,\n`, /:2:5: column "faturamento": "" is not a number/, undefined],
    ['decimal comma', `${HEADER}\n2024-01-01,1,1,2,"4,5"\n`, /:2:5: column "faturamento": "4,5" is not a number/, undefined],
    ['non-integer code', `${HEADER}\n2024-01-01,1.5,1,2,4\n`, /:2:2: column "produto_cat": "1.5" is not an integer/, undefined],
    ['missing column', 'date,produto_cat,vendas,faturamento\n2024-01-01,1,2,4\n', /:1: column "uf_cat" not found \(has: date, produto_cat, vendas, faturamento\)/, 'header must contain'],
    ['empty file', '', /:1:1: the file is empty/, undefined],
    ['wrong delimiter', 'date;produto_cat;uf_cat;vendas;faturamento\n2024-01-01;1;1;2;4\n', /:1:1: the header has one column .* delimited by ";"/, 'commas'],
    ['tab delimiter', 'date\tproduto_cat\tuf_cat\tvendas\tfaturamento\n', /delimited by "\\t"/, undefined],
    ['UTF-16 byte-order mark', Buffer.from(`\ufeff${HEADER}\n`, 'utf16le'), /:1:1: the file starts with a UTF-16 byte-order mark/, 'UTF-8'],
    ['mixed LF then CRLF', `${HEADER}\n2024-01-01,1,1,2,4\r\n`, /:\d+:5: the line ends in CRLF but earlier lines end in LF/, 'line ending'],
    ['mixed CRLF then LF', `${HEADER}\r\n2024-01-01,1,1,2,4\n2024-01-08,1,1,2,4\r\n`, /:3: Invalid Record Length/, 'line endings'],
    ['duplicate header column', 'date,produto_cat,uf_cat,vendas,faturamento,vendas\n2024-01-01,1,1,2,4,2\n', /:1:6: column "vendas" appears twice in the header \(columns 4 and 6\)/, undefined],
    ['header repeated inside the file', `${HEADER}\n2024-01-01,1,1,2,4\n${HEADER}\n2024-01-08,1,1,2,4\n`, /:3:1: the header line appears again/, 'pasted together'],
    ['too many fields', `${HEADER}\n2024-01-01,1,1,2,4,9\n`, /:2: Invalid Record Length: expect 5, got 6/, 'delimiter'],
  ];
  for (const [name, content, message, hint] of cases) {
    it(`fails with file:line:column on ${name}`, async () => {
      const p = file(`${name.replace(/\W+/g, '-')}.csv`, content);
      const err = await failure(p);
      expect(err.message.startsWith(p)).toBe(true);
      expect(err.message).toMatch(message);
      expect(err.exitCode).toBe(3);
      if (hint) expect(err.hint).toContain(hint);
    });
  }

  it('fails on a missing file with the path in the message', async () => {
    const err = await failure('/nonexistent/dir/x.csv');
    expect(err.message).toMatch(/\/nonexistent\/dir\/x\.csv: cannot read the file \(ENOENT\)/);
  });

  it('fails on a header without data rows (when loading)', async () => {
    const p = file('h.csv', `${HEADER}\n`);
    await expect(loadWeekly(p)).rejects.toThrow(`${p}:2: the file has a header but no data rows`);
  });
});
