/** Test helper: small CSV files in a fresh temporary folder. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export const HEADER = 'date,produto_cat,uf_cat,vendas,faturamento';

/** Returns a writer of files in a temp dir removed after the test file. */
export function tmpFiles(): (name: string, content: string | Buffer) => string {
  const dir = mkdtempSync(join(tmpdir(), 'ttm-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
}

/** CSV text of weekly rows for one series: `values[t]` units at `price`, weeks from `start`. */
export function weeklyCsv(series: { produto: number; regiao: number; start: string; vendas: number[]; price?: number }[]): string {
  const lines = [HEADER];
  for (const s of series) {
    const t0 = Date.parse(`${s.start}T00:00:00Z`);
    s.vendas.forEach((v, t) => {
      const date = new Date(t0 + t * 7 * 86_400_000).toISOString().slice(0, 10);
      lines.push(`${date},${s.produto},${s.regiao},${v},${(v * (s.price ?? 2)).toFixed(2)}`);
    });
  }
  return `${lines.join('\n')}\n`;
}
