// Saúde do modelo: the latest `ttm evaluate` report and the trend over the stored ones.
import { api, ErroApi } from './api.js';
import { acompanharLargura, tendencia } from './charts.js';
import { data, dataHora, esc, int, nomeCanal, num2, num3, pct, valor } from './format.js';

const METODOS = {
  ttm: 'ttm (modelo combinado, o que é servido)',
  ttm_model_only: 'ttm só o modelo',
  snaive52: 'Sazonal ingênuo (52 semanas)',
  naive: 'Ingênuo (última semana)',
  mean52: 'Média das últimas 52 semanas',
};
const METRICAS = [
  ['wape', 'WAPE', pct],
  ['mape', 'MAPE', pct],
  ['mase', 'MASE', num3],
];

function alertaTexto(a) {
  const c = a.channel ? nomeCanal(a.channel) : '';
  switch (a.name) {
    case 'mape':
    case 'wape':
      return `${a.name.toUpperCase()} de ${c}: ${pct(a.value)}, acima do limite de ${pct(a.threshold)}`;
    case 'psi':
      return `Deriva dos dados de ${c}: PSI ${num3(a.value)}, acima do limite de ${num3(a.threshold)}`;
    case 'error_rate':
      return `${pct(a.value)} das séries falharam na previsão, acima do limite de ${pct(a.threshold)}`;
    case 'latency_seconds':
      return `Um lote de previsão levou ${num2(a.value)} s, acima do limite de ${num2(a.threshold)} s`;
    default:
      return a.message;
  }
}

const leituraPsi = (psi) => (psi === null ? '' : psi < 0.1 ? 'estável' : psi < 0.25 ? 'mudança moderada' : 'mudança forte');

function tabelaMetodos(canal, c) {
  const metodos = Object.keys(c.methods);
  const melhor = Object.fromEntries(
    METRICAS.map(([k]) => {
      const vals = metodos.map((m) => c.methods[m][k]).filter((v) => v !== null);
      return [k, vals.length ? Math.min(...vals) : null];
    }),
  );
  const linhas = metodos
    .map(
      (m) => `<tr data-metodo="${esc(m)}"><th scope="row">${esc(METODOS[m] ?? m)}</th>${METRICAS.map(([k, , f]) => {
        const v = c.methods[m][k];
        const best = v !== null && v === melhor[k];
        return `<td class="${best ? 'melhor' : ''}">${f(v)}${best ? ' <span class="marcador">(melhor)</span>' : ''}</td>`;
      }).join('')}</tr>`,
    )
    .join('');
  return `<table data-testid="metodos-${canal}"><caption>${esc(nomeCanal(canal))}: erro no backtest, modelo e referências (menor é melhor)</caption>
<thead><tr><th scope="col">Método</th>${METRICAS.map(([, n]) => `<th scope="col">${n}</th>`).join('')}</tr></thead><tbody>${linhas}</tbody></table>`;
}

const linhaMape = (x) => `<tr><th scope="row">${esc(x.produto)}</th><td>${pct(x.mape)}</td><td>${int(x.n_points)}</td></tr>`;

function blocoCanal(canal, c) {
  const cob = c.coverage[0];
  const piores = [...c.mape_by_produto].filter((x) => x.mape !== null).sort((a, b) => b.mape - a.mape).slice(0, 10);
  return `<section aria-labelledby="saude-${canal}"><h2 id="saude-${canal}">${esc(nomeCanal(canal))}</h2>
${tabelaMetodos(canal, c)}
<dl class="pares">
  <dt>Cobertura do intervalo de ${cob ? pct(cob.level) : '–'}</dt><dd data-testid="cobertura-${canal}">${cob ? pct(cob.coverage) : '–'} das semanas (largura média ${cob ? valor(cob.mean_width, canal) : '–'})</dd>
  <dt>Deriva dos dados (PSI)</dt><dd data-testid="deriva-${canal}">${c.drift ? `${num3(c.drift.psi)} (${leituraPsi(c.drift.psi)}); média ${pct(c.drift.mean_shift)} em relação ao treino` : '–'}</dd>
  <dt>MAE das últimas 4 semanas</dt><dd>${valor(c.rolling_mae_4w, canal)}</dd>
</dl>
<div class="cartoes">
<table data-testid="r2-${canal}"><caption>R² por UF</caption><thead><tr><th scope="col">UF</th><th scope="col">R²</th><th scope="col">Pontos</th></tr></thead>
<tbody>${c.r2_by_uf.map((x) => `<tr><th scope="row">${esc(x.uf)}</th><td>${num3(x.r2)}</td><td>${int(x.n_points)}</td></tr>`).join('')}</tbody></table>
<table data-testid="mape-produto-${canal}"><caption>MAPE por produto: os ${piores.length} maiores de ${c.mape_by_produto.length}</caption><thead><tr><th scope="col">Produto</th><th scope="col">MAPE</th><th scope="col">Semanas com venda</th></tr></thead>
<tbody>${piores.map(linhaMape).join('')}</tbody></table>
</div>
<details><summary>MAPE de todos os ${c.mape_by_produto.length} produtos</summary>
<table data-testid="mape-todos-${canal}"><caption>MAPE por produto (${esc(nomeCanal(canal))})</caption><thead><tr><th scope="col">Produto</th><th scope="col">MAPE</th><th scope="col">Semanas com venda</th></tr></thead>
<tbody>${c.mape_by_produto.map(linhaMape).join('')}</tbody></table></details></section>`;
}

export async function paginaSaude(raiz, ctx) {
  let e;
  try {
    e = await api.json('/evaluations/latest');
  } catch (err) {
    if (err instanceof ErroApi && err.status === 404) {
      raiz.innerHTML = `<h1 tabindex="-1">Saúde do modelo</h1><p>Nenhuma avaliação guardada ainda. Rode <code>ttm evaluate</code>: cada relatório fica em <code>results_ttm_model/evaluations/</code>.</p>`;
      return;
    }
    throw err;
  }
  const lista = await api.json('/evaluations');
  if (!ctx.atual()) return;
  const canais = Object.keys(e.channels);
  const selo = e.healthy
    ? '<span class="selo ok" data-testid="situacao">✓ Saudável: nenhum alerta</span>'
    : `<span class="selo alerta" data-testid="situacao">⚠ ${e.alerts.length} ${e.alerts.length === 1 ? 'alerta disparado' : 'alertas disparados'}</span>`;
  raiz.innerHTML = `<h1 tabindex="-1">Saúde do modelo</h1>
<section class="cartao" aria-labelledby="relatorio-titulo">
  <h2 id="relatorio-titulo">Última avaliação</h2>
  <p>${selo}</p>
  <dl class="pares">
    <dt>Avaliada em</dt><dd data-testid="avaliada-em">${dataHora(e.created)}</dd>
    <dt>Modelo</dt><dd>${esc(e.model ?? '–')}</dd>
    <dt>Origens do backtest</dt><dd>${e.origins.map(data).join(', ')} (${e.horizon} semanas cada)</dd>
    <dt>Janelas avaliadas</dt><dd>${int(e.windows)} em ${int(e.series)} séries</dd>
    <dt>Semanas após o treino</dt><dd data-testid="fora-do-treino">${pct(e.held_out_share)} das semanas avaliadas${e.held_out_share !== null && e.held_out_share < 1 ? ' (o restante o modelo já viu no treino)' : ''}</dd>
    <dt>Séries com falha</dt><dd>${pct(e.error_rate)}</dd>
    <dt>Tempo por lote</dt><dd>${num3(e.seconds_per_batch)} s</dd>
  </dl>
  ${e.alerts.length ? `<h3>Alertas disparados</h3><ul data-testid="alertas">${e.alerts.map((a) => `<li>⚠ ${esc(alertaTexto(a))}</li>`).join('')}</ul>` : ''}
</section>
${canais.map((c) => blocoCanal(c, e.channels[c])).join('')}
<section aria-labelledby="tendencia-titulo"><h2 id="tendencia-titulo">Tendência nas avaliações guardadas</h2>
<div class="grafico" id="grafico-tendencia" role="img" aria-label="Gráfico do WAPE de vendas e de faturamento em cada uma das ${lista.evaluations.length} avaliações guardadas; os números estão na tabela abaixo."></div>
<p class="legenda-texto">Linha contínua com pontos cheios: WAPE de vendas; linha tracejada com pontos vazados: WAPE de faturamento.</p>
<table data-testid="tendencia"><caption>Avaliações guardadas (da mais antiga à mais recente)</caption>
<thead><tr><th scope="col">Data</th>${canais.map((c) => `<th scope="col">WAPE ${esc(c)}</th><th scope="col">Cobertura ${esc(c)}</th>`).join('')}<th scope="col">Alertas</th></tr></thead>
<tbody>${lista.evaluations.map((x) => `<tr><th scope="row">${dataHora(x.created)}</th>${canais.map((c) => `<td>${pct(x.channels[c]?.wape)}</td><td>${pct(x.channels[c]?.coverage)}</td>`).join('')}<td>${x.alerts ? `⚠ ${x.alerts}` : '✓ 0'}</td></tr>`).join('')}</tbody></table>
${lista.skipped.length ? `<p class="legenda-texto">Ignorados (${lista.skipped.length}): ${lista.skipped.map((s) => esc(`${s.file}: ${s.reason}`)).join('; ')}</p>` : ''}
</section>`;
  const el = raiz.querySelector('#grafico-tendencia');
  const u = tendencia(
    el,
    lista.evaluations.map((x) => Date.parse(x.created) / 1000),
    canais.slice(0, 2).map((c) => ({ label: `WAPE ${c}`, values: lista.evaluations.map((x) => x.channels[c]?.wape ?? null) })),
  );
  const parar = acompanharLargura(el, u);
  return () => {
    parar();
    u.destroy();
  };
}
