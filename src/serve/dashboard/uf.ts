/** The UF a `uf_cat` code stands for (the data's order: SP, GO, MG, EX, RS, PR); the code itself otherwise. */
import { UFS } from '../../data/index.js';

export function ufLabel(regiao: number): string {
  return Number.isInteger(regiao) && regiao >= 0 && regiao < UFS.length ? UFS[regiao].uf : String(regiao);
}
