// uPlot charts: forecast with its 90% band. Line style (solid, dashed, dotted) and the text legend
// below each chart carry the meaning as well as colour.
import { dia, eixoTempo, eixoValor, valor } from './format.js';

const AZUL = '#1f4e79';
const LARANJA = '#b34700';
const CINZA = '#5f6b7a';

function largura(el) {
  return Math.max(320, el.clientWidth - 16);
}

/** canal: 'vendas' | 'faturamento', or a function giving the one shown now (the explorer switches). */
const agora = (canal) => (typeof canal === 'function' ? canal : () => canal);

function eixos(canal) {
  return [
    { values: (u, s) => eixoTempo(s), space: 70 },
    { values: (u, s) => s.map((v) => eixoValor(v, agora(canal)())), size: 80 },
  ];
}

const fmt = (canal) => (u, v) => (v === null || v === undefined ? '–' : valor(v, agora(canal)()));

/** series: [{ label, values, kind: 'historico' | 'previsao' | 'ano-anterior' | 'inferior' | 'superior' }] */
export function grafico(el, x, series, canal, { altura = 300 } = {}) {
  const estilo = {
    historico: { stroke: AZUL, width: 2 },
    previsao: { stroke: LARANJA, width: 2.5, dash: [8, 5] },
    'ano-anterior': { stroke: CINZA, width: 1.5, dash: [2, 4] },
    inferior: { stroke: LARANJA, width: 1, dash: [1, 3] },
    superior: { stroke: LARANJA, width: 1, dash: [1, 3] },
  };
  const opts = {
    width: largura(el),
    height: altura,
    scales: { x: { time: true } },
    series: [{ label: 'Semana', value: (u, v) => (v === null ? '–' : dia(v)) }, ...series.map((s) => ({ label: s.label, value: fmt(canal), spanGaps: false, ...estilo[s.kind] }))],
    bands: bandas(series),
    axes: eixos(canal),
    cursor: { drag: { x: true, y: false, setScale: true } },
  };
  const u = new uPlot(opts, [x, ...series.map((s) => s.values)], el);
  return u;
}

function bandas(series) {
  const i = series.findIndex((s) => s.kind === 'superior');
  const j = series.findIndex((s) => s.kind === 'inferior');
  return i >= 0 && j >= 0 ? [{ series: [i + 1, j + 1], fill: 'rgba(179,71,0,0.14)' }] : [];
}

/** Trend of figures over evaluations (fractions, shown as percent). */
export function tendencia(el, x, series) {
  const estilos = [
    { stroke: AZUL, width: 2, points: { size: 8, fill: AZUL } },
    { stroke: LARANJA, width: 2, dash: [8, 5], points: { size: 9, fill: '#fff' } },
  ];
  const p = (v) => (v === null || v === undefined ? '–' : `${(100 * v).toLocaleString('pt-BR', { maximumFractionDigits: 1 })}%`);
  return new uPlot(
    {
      width: largura(el),
      height: 240,
      scales: { x: { time: true } },
      series: [{ label: 'Avaliação', value: (u, v) => (v === null ? '–' : new Date(v * 1000).toLocaleString('pt-BR')) }, ...series.map((s, k) => ({ label: s.label, value: (u, v) => p(v), ...estilos[k % 2] }))],
      axes: [{ values: (u, s) => eixoTempo(s), space: 90 }, { values: (u, s) => s.map(p), size: 60 }],
    },
    [x, ...series.map((s) => s.values)],
    el,
  );
}

/** Keeps charts as wide as their box. */
export function acompanharLargura(el, u) {
  const ro = new ResizeObserver(() => u.setSize({ width: largura(el), height: u.height }));
  ro.observe(el);
  return () => ro.disconnect();
}
