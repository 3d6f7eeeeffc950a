/** Reads ../shared/data/dunnhumby-weekly for the evaluate tests (a few lines of split, on purpose:
 *  the data layer owns real CSV parsing). Returns null, with the reason, where the folder is absent. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DUNNHUMBY_DIR = fileURLToPath(new URL('../../../shared/data/dunnhumby-weekly/', import.meta.url));

export interface DunnhumbySeries {
  produto: string;
  regiao: string;
  dates: string[];
  vendas: number[];
  faturamento: number[];
}

export type Channel = 'vendas' | 'faturamento';
export const CHANNELS: Channel[] = ['vendas', 'faturamento'];

export function dunnhumbySkipReason(): string | null {
  return existsSync(`${DUNNHUMBY_DIR}series.csv`) ? null : `${DUNNHUMBY_DIR}series.csv is absent`;
}

/** Series in file order, rows in date order (the file is sorted by series then date). */
export function readDunnhumbySeries(): DunnhumbySeries[] {
  const lines = readFileSync(`${DUNNHUMBY_DIR}series.csv`, 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const col = (name: string) => header.indexOf(name);
  const [iDate, iProduto, iRegiao, iVendas, iFat] = ['date', 'produto_cat', 'uf_cat', 'vendas', 'faturamento'].map(col);
  const byKey = new Map<string, DunnhumbySeries>();
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const key = `${f[iProduto]}|${f[iRegiao]}`;
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { produto: f[iProduto], regiao: f[iRegiao], dates: [], vendas: [], faturamento: [] }));
    s.dates.push(f[iDate]);
    s.vendas.push(Number(f[iVendas]));
    s.faturamento.push(Number(f[iFat]));
  }
  for (const s of byKey.values()) {
    for (let i = 1; i < s.dates.length; i++) {
      if (s.dates[i] <= s.dates[i - 1]) throw new Error(`series ${s.produto}/${s.regiao} not in date order`);
    }
  }
  return [...byKey.values()];
}

export function readBaselinesJson(): any {
  return JSON.parse(readFileSync(`${DUNNHUMBY_DIR}baselines.json`, 'utf8'));
}

/** forecasts.csv as method → "produto|regiao" → { vendas, faturamento } in date order. */
export function readDunnhumbyForecasts(): Map<string, Map<string, { vendas: number[]; faturamento: number[] }>> {
  const lines = readFileSync(`${DUNNHUMBY_DIR}forecasts.csv`, 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const [iProduto, iRegiao, iMethod, iVendas, iFat] = ['produto_cat', 'uf_cat', 'method', 'vendas_pred', 'faturamento_pred'].map(
    (name) => header.indexOf(name),
  );
  const out = new Map<string, Map<string, { vendas: number[]; faturamento: number[] }>>();
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    let byKey = out.get(f[iMethod]);
    if (!byKey) out.set(f[iMethod], (byKey = new Map()));
    const key = `${f[iProduto]}|${f[iRegiao]}`;
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { vendas: [], faturamento: [] }));
    s.vendas.push(Number(f[iVendas]));
    s.faturamento.push(Number(f[iFat]));
  }
  return out;
}
