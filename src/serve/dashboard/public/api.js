// The read endpoints, with the credential of this tab (sessionStorage) as a Bearer token.
const CHAVE = 'ttm.credencial';

export const credencial = {
  get: () => sessionStorage.getItem(CHAVE),
  set: (v) => sessionStorage.setItem(CHAVE, v),
  clear: () => sessionStorage.removeItem(CHAVE),
};

export class ErroApi extends Error {
  constructor(status, corpo) {
    super(corpo?.message ?? `HTTP ${status}`);
    this.status = status;
    this.corpo = corpo;
  }
}

async function pedir(caminho) {
  const c = credencial.get();
  const r = await fetch(caminho, { headers: c ? { authorization: `Bearer ${c}` } : {} });
  if (!r.ok) {
    let corpo = null;
    try {
      corpo = await r.json();
    } catch {
      /* not JSON */
    }
    throw new ErroApi(r.status, corpo);
  }
  return r;
}

export const api = {
  json: async (caminho) => (await pedir(caminho)).json(),
  blob: async (caminho) => (await pedir(caminho)).blob(),
};
