// Visão geral: totals of the next weeks against the same weeks last year, per UF, with the 90% band
// of each total. The server computes the band in the background after the first request: until it is
// ready the page says "calculando intervalo…" and asks again every few seconds, then redraws.
import { api } from './api.js';
import { acompanharLargura, grafico } from './charts.js';
import { data, dataHora, esc, nomeCanal, pct, segundos, valor, variacao } from './format.js';

const ESPERA_MS = 2000;

/** The band of one figure as text: "a a b", "calculando intervalo…" while the server computes it, '–' without one. */
function intervalo(x, canal, o) {
  if (o.band.state === 'computing') return 'calculando intervalo…';
  if (x.lower === null || x.upper === null) return '–';
  return `${valor(x.lower, canal)} a ${valor(x.upper, canal)}`;
}

/** What the band is, in the users' words, with its caveat; or why there is none yet. */
function notaFaixa(o) {
  const b = o.band;
  const estado = `data-testid="faixa-estado" data-estado="${esc(b.state)}"`;
  if (b.state === 'computing') return `<p class="legenda-texto" ${estado} role="status">Calculando o intervalo de ${pct(o.level)} dos totais a partir dos erros do modelo em semanas passadas…</p>`;
  if (b.state === 'unavailable') return `<p class="legenda-texto" ${estado}>Sem intervalo para os totais: ${esc(b.reason ?? '')}</p>`;
  const amostra = b.held_out_share === 0 ? ' O modelo foi treinado com essas semanas, então os erros delas tendem a ser menores que os das próximas: o intervalo pode ser estreito demais.' : b.held_out_share < 1 ? ` Parte dessas semanas (${pct(1 - b.held_out_share)}) estava no treino do modelo: nelas os erros tendem a ser menores, e o intervalo pode ser estreito demais.` : '';
  return `<p class="legenda-texto" ${estado}>O intervalo de ${pct(o.level)} de cada total vem dos erros relativos do modelo nesse mesmo total em ${b.origins.length} previsões de semanas passadas (origens de ${data(b.origins[0])} a ${data(b.origins.at(-1))}); o de cada semana do gráfico, dos erros naquela semana à frente.${amostra}</p>`;
}

function cartao(canal, t, o) {
  const v = variacao(t.change);
  return `<section class="cartao" aria-labelledby="total-${canal}-titulo">
  <h2 id="total-${canal}-titulo">${esc(nomeCanal(canal))}: próximas ${o.horizon} semanas</h2>
  <p class="numero" data-testid="total-${canal}-previsao">${valor(t.forecast, canal)}</p>
  <dl class="pares">
    <dt>Intervalo de ${pct(o.level)}</dt><dd data-testid="total-${canal}-intervalo">${intervalo(t, canal, o)}</dd>
    <dt>Mesmas semanas do ano anterior</dt><dd data-testid="total-${canal}-ano-anterior">${valor(t.last_year, canal)}</dd>
    <dt>Variação</dt><dd data-testid="total-${canal}-variacao" class="${v.classe}">${v.texto}</dd>
  </dl>
</section>`;
}

function tabelaUf(canal, c, o) {
  const linhas = c.by_uf
    .map((u) => {
      const v = variacao(u.change);
      return `<tr data-uf="${esc(u.uf)}"><th scope="row">${esc(u.uf)}</th><td>${valor(u.forecast, canal)}</td><td>${intervalo(u, canal, o)}</td><td>${valor(u.last_year, canal)}</td><td class="${v.classe}">${v.texto}</td></tr>`;
    })
    .join('');
  return `<table data-testid="uf-${canal}">
  <caption>${esc(nomeCanal(canal))} por UF, ${data(o.dates[0])} a ${data(o.dates.at(-1))}</caption>
  <thead><tr><th scope="col">UF</th><th scope="col">Previsão</th><th scope="col">Intervalo de ${pct(o.level)}</th><th scope="col">Ano anterior</th><th scope="col">Variação</th></tr></thead>
  <tbody>${linhas}</tbody></table>`;
}

/** The series the model could not forecast, with the reason (e.g. no future covariates). */
function deixadas(lista) {
  if (!lista || lista.length === 0) return '';
  const max = 50;
  const itens = lista.slice(0, max).map((s) => `<li>produto ${esc(String(s.produto_id))}, região ${esc(String(s.regiao_id))}: ${esc(s.reason)}</li>`).join('');
  return `<details data-testid="series-deixadas"><summary>Séries deixadas de fora (${lista.length})</summary><ul>${itens}</ul>${lista.length > max ? `<p>… e mais ${lista.length - max}.</p>` : ''}</details>`;
}

export async function paginaVisao(raiz, ctx) {
  let o = await api.json('/overview');
  if (!ctx.atual()) return;
  let fim = desenhar(raiz, o);
  let parado = false;
  let timer = null;
  // while the band is computed, ask again; redraw once it is there (or known to be unavailable)
  const esperar = () => {
    if (parado || o.band.state !== 'computing') return;
    timer = setTimeout(async () => {
      try {
        const novo = await api.json('/overview');
        if (parado || !ctx.atual()) return;
        if (novo.band.state !== 'computing') {
          fim();
          o = novo;
          fim = desenhar(raiz, o);
          ctx.avisar(o.band.state === 'ready' ? `Intervalo de ${pct(o.level)} dos totais calculado.` : 'Sem intervalo para os totais.');
        }
      } catch {
        /* a failed poll: try again */
      }
      esperar();
    }, ESPERA_MS);
  };
  esperar();
  return () => {
    parado = true;
    clearTimeout(timer);
    fim();
  };
}

function desenhar(raiz, o) {
  const canais = Object.keys(o.channels);
  raiz.innerHTML = `<h1 tabindex="-1">Visão geral</h1>
<section class="cartao" aria-labelledby="modelo-titulo">
  <h2 id="modelo-titulo">Modelo em produção</h2>
  <dl class="pares">
    <dt>Versão</dt><dd data-testid="modelo-versao">${esc(o.model.version)}</dd>
    <dt>Treinado em</dt><dd data-testid="modelo-treinado">${dataHora(o.model.trained_at)}</dd>
    <dt>Dados de treino até</dt><dd>${data(o.model.trained_through)}</dd>
    <dt>Séries previstas</dt><dd data-testid="series-previstas">${o.series}${o.skipped ? ` (${o.skipped} deixadas de fora)` : ''}</dd>
    <dt>Semanas previstas</dt><dd>${data(o.dates[0])} a ${data(o.dates.at(-1))}</dd>
  </dl>
  ${deixadas(o.left_out)}
</section>
<div class="cartoes">${canais.map((c) => cartao(c, o.channels[c].total, o)).join('')}</div>
${canais
  .map(
    (c) => `<h2>${esc(nomeCanal(c))}: total semanal</h2>
<div class="grafico" id="grafico-${c}" role="img" aria-label="Gráfico de ${esc(nomeCanal(c))} por semana: previsão total de ${data(o.dates[0])} a ${data(o.dates.at(-1))} com intervalo de ${pct(o.level)}, e as mesmas semanas do ano anterior. Os números estão na tabela abaixo."></div>
<p class="legenda-texto">Linha tracejada: previsão; faixa sombreada entre linhas pontilhadas: intervalo de ${pct(o.level)}; linha cinza pontilhada: mesmas semanas do ano anterior (${data(o.last_year_dates[0])} a ${data(o.last_year_dates.at(-1))}).</p>
${tabelaUf(c, o.channels[c], o)}`,
  )
  .join('')}
${notaFaixa(o)}`;
  const x = o.dates.map(segundos);
  const fins = canais.map((c) => {
    const el = raiz.querySelector(`#grafico-${c}`);
    const w = o.channels[c].weekly;
    const u = grafico(el, x, [
      { label: 'Previsão', values: w.forecast, kind: 'previsao' },
      { label: 'Limite inferior', values: w.lower, kind: 'inferior' },
      { label: 'Limite superior', values: w.upper, kind: 'superior' },
      { label: 'Ano anterior', values: w.last_year, kind: 'ano-anterior' },
    ], c, { altura: 260 });
    const parar = acompanharLargura(el, u);
    return () => {
      parar();
      u.destroy();
    };
  });
  return () => fins.forEach((f) => f());
}
