// Explorar séries: search the served series, see history + forecast + 90% interval, zoom, download CSV.
import { api } from './api.js';
import { acompanharLargura, grafico } from './charts.js';
import { data, esc, nomeCanal, pct, segundos, valor } from './format.js';

/** Browser-side timings the browser test reads (not asserted: printed). */
const medidas = (window.ttmMedidas ??= { trocas: [] });

const rotulo = (s) => `Produto ${s.produto} · ${s.uf}`;

/** "12 sp" → produto starting with 12 and UF starting with SP; any order. */
export function filtrar(lista, texto) {
  const partes = texto.trim().toUpperCase().split(/[\s,·;/-]+/).filter(Boolean);
  if (!partes.length) return lista;
  return lista.filter((s) => partes.every((p) => (/^\d+$/.test(p) ? String(s.produto).startsWith(p) : s.uf.toUpperCase().startsWith(p.replace(/^PRODUTO$/, '')))));
}

export async function paginaSeries(raiz, ctx) {
  const { series } = await api.json('/series');
  if (!ctx.atual()) return;
  raiz.innerHTML = `<h1 tabindex="-1">Explorar séries</h1>
<div class="explorador">
  <div>
    <label for="busca">Buscar série</label>
    <input id="busca" type="search" autocomplete="off" aria-describedby="busca-ajuda" aria-controls="lista-series" placeholder="ex.: 12 SP">
    <p id="busca-ajuda" class="legenda-texto">Número do produto e/ou UF (SP, GO, MG, EX, RS, PR). Enter abre a primeira.</p>
    <label for="lista-series" id="lista-rotulo">Séries</label>
    <select id="lista-series" size="12" aria-describedby="lista-contagem"></select>
    <p id="lista-contagem" class="legenda-texto" aria-live="polite"></p>
  </div>
  <div>
    <h2 id="serie-titulo" tabindex="-1">–</h2>
    <div class="controles">
      <fieldset><legend>Canal</legend>
        <label><input type="radio" name="canal" value="vendas" checked> Vendas</label>
        <label><input type="radio" name="canal" value="faturamento"> Faturamento</label>
      </fieldset>
      <button type="button" class="secundario" id="zoom-recente">Aproximar: últimas 52 semanas e previsão</button>
      <button type="button" class="secundario" id="zoom-tudo">Ver tudo</button>
      <button type="button" id="baixar-csv">Baixar previsão (CSV)</button>
    </div>
    <div class="grafico" id="grafico-serie" role="img" aria-label="Gráfico da série"></div>
    <p class="legenda-texto">Linha contínua: histórico; linha tracejada: previsão; faixa sombreada entre linhas pontilhadas: intervalo de 90%. Arraste sobre o gráfico para aproximar; clique duplo volta ao período inteiro.</p>
    <div class="rolagem"><table id="tabela-previsao" data-testid="tabela-previsao"><caption></caption>
      <thead><tr><th scope="col">Semana</th><th scope="col">Previsão</th><th scope="col">Limite inferior</th><th scope="col">Limite superior</th></tr></thead><tbody></tbody></table></div>
  </div>
</div>`;
  const busca = raiz.querySelector('#busca');
  const lista = raiz.querySelector('#lista-series');
  const contagem = raiz.querySelector('#lista-contagem');
  const el = raiz.querySelector('#grafico-serie');
  let u = null;
  let parar = () => {};
  let atual = null; // last /series/:p/:r response
  let pedido = 0;

  const canal = () => raiz.querySelector('input[name="canal"]:checked').value;

  function preencher() {
    const achadas = filtrar(series, busca.value);
    lista.innerHTML = achadas.map((s) => `<option value="${s.produto}:${s.regiao}">${esc(rotulo(s))}</option>`).join('');
    contagem.textContent = `${achadas.length} de ${series.length} séries`;
    if (atual) lista.value = `${atual.produto}:${atual.regiao}`;
    return achadas;
  }

  function desenhar() {
    const c = canal();
    const h = atual.history;
    const f = atual.forecast.channels[c];
    const n = h.dates.length;
    const x = [...h.dates, ...atual.forecast.dates].map(segundos);
    const hist = [...h.channels[c], ...f.value.map(() => null)];
    // the forecast line starts at the last actual so the two lines join
    const prev = [...h.dates.map((_, k) => (k === n - 1 ? h.channels[c][k] : null)), ...f.value];
    const lo = [...h.dates.map(() => null), ...f.lower];
    const hi = [...h.dates.map(() => null), ...f.upper];
    const titulo = `${nomeCanal(c)}: produto ${atual.produto}, ${atual.uf}`;
    raiz.querySelector('#serie-titulo').textContent = titulo;
    el.setAttribute('aria-label', `Gráfico de ${titulo}: ${n} semanas de histórico até ${data(h.dates.at(-1))} e ${f.value.length} semanas de previsão com intervalo de ${pct(atual.level)}. Os valores previstos estão na tabela abaixo.`);
    if (!u) {
      u = grafico(el, x, [
        { label: 'Histórico', values: hist, kind: 'historico' },
        { label: 'Previsão', values: prev, kind: 'previsao' },
        { label: 'Limite inferior', values: lo, kind: 'inferior' },
        { label: 'Limite superior', values: hi, kind: 'superior' },
      ], canal);
      parar = acompanharLargura(el, u);
    } else {
      u.setData([x, hist, prev, lo, hi]);
    }
    const tabela = raiz.querySelector('#tabela-previsao');
    tabela.querySelector('caption').textContent = `Previsão de ${titulo} (intervalo de ${pct(atual.level)})`;
    tabela.querySelector('tbody').innerHTML = atual.forecast.dates
      .map((d, k) => `<tr><th scope="row">${data(d)}</th><td>${valor(f.value[k], c)}</td><td>${valor(f.lower[k], c)}</td><td>${valor(f.upper[k], c)}</td></tr>`)
      .join('');
  }

  async function abrirSerie(chave, t0 = performance.now()) {
    const [p, r] = chave.split(':');
    const meu = ++pedido;
    const resposta = await api.json(`/series/${p}/${r}`);
    if (meu !== pedido || !ctx.atual()) return;
    atual = resposta;
    desenhar();
    raiz.dataset.serie = chave;
    requestAnimationFrame(() => {
      medidas.trocas.push({ serie: chave, ms: performance.now() - t0 });
      raiz.dataset.serieDesenhada = chave;
    });
  }

  const erro = (e) => ctx.avisar(`Erro ao abrir a série: ${e.message}`);
  busca.addEventListener('input', preencher);
  busca.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && lista.options.length) {
      ev.preventDefault();
      lista.selectedIndex = 0;
      abrirSerie(lista.value).catch(erro);
    }
  });
  lista.addEventListener('change', () => abrirSerie(lista.value).catch(erro));
  for (const r of raiz.querySelectorAll('input[name="canal"]')) r.addEventListener('change', () => atual && desenhar());
  raiz.querySelector('#zoom-recente').addEventListener('click', () => {
    if (!u) return;
    const x = u.data[0];
    const n = atual.history.dates.length;
    u.setScale('x', { min: x[Math.max(0, n - 52)], max: x[x.length - 1] });
  });
  raiz.querySelector('#zoom-tudo').addEventListener('click', () => u && u.setScale('x', { min: u.data[0][0], max: u.data[0].at(-1) }));
  raiz.querySelector('#baixar-csv').addEventListener('click', async () => {
    if (!atual) return;
    try {
      const blob = await api.blob(`/series/${atual.produto}/${atual.regiao}/forecast.csv`);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `previsao-produto-${atual.produto}-uf-${atual.uf}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      ctx.avisar('Previsão baixada em CSV.');
    } catch (e) {
      erro(e);
    }
  });

  const achadas = preencher();
  if (achadas.length) {
    lista.selectedIndex = 0;
    await abrirSerie(lista.value);
  }
  return () => {
    parar();
    u?.destroy();
  };
}
