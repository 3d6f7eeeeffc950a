// Números e datas como os usuários leem: pt-BR (1.234.567; 12,5%; R$ 1.234; 21/04/2025).
const inteiro = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 0 });
const reais = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL', maximumFractionDigits: 0, minimumFractionDigits: 0 });
const porcento = new Intl.NumberFormat('pt-BR', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat('pt-BR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const decimal3 = new Intl.NumberFormat('pt-BR', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

const vazio = (x) => x === null || x === undefined || !Number.isFinite(x);

/** Units of vendas, reais of faturamento; '–' for a missing figure. */
export function valor(x, canal) {
  if (vazio(x)) return '–';
  return canal === 'faturamento' ? reais.format(x) : inteiro.format(x);
}
export const pct = (x) => (vazio(x) ? '–' : porcento.format(x));
export const num2 = (x) => (vazio(x) ? '–' : decimal.format(x));
export const num3 = (x) => (vazio(x) ? '–' : decimal3.format(x));
export const int = (x) => (vazio(x) ? '–' : inteiro.format(x));

/** "2025-04-21" → "21/04/2025" (dates are calendar days: no time zone shift). */
export function data(iso) {
  if (!iso) return '–';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}
export function dataHora(iso) {
  if (!iso) return '–';
  return new Date(iso).toLocaleString('pt-BR', { dateStyle: 'short', timeStyle: 'short' });
}
/** Seconds since 1970 at UTC midnight of an ISO day (uPlot's x). */
export const segundos = (iso) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 1000;
const compacto = new Intl.NumberFormat('pt-BR', { notation: 'compact', maximumFractionDigits: 1 });
const reaisCompacto = new Intl.NumberFormat('pt-BR', { notation: 'compact', style: 'currency', currency: 'BRL', maximumFractionDigits: 1 });
/** Axis labels: "80 mil", "R$ 6 mi". */
export const eixoValor = (x, canal) => (vazio(x) ? '' : (canal === 'faturamento' ? reaisCompacto : compacto).format(x));
/** Axis labels of a time axis (seconds), as precise as the tick spacing needs: "out. 25", "21/04", "21/04 14:05". */
export function eixoTempo(s) {
  const passo = s.length > 1 ? s[1] - s[0] : 0;
  const hora = { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', ...(passo < 60 ? { second: '2-digit' } : {}) };
  const o = passo >= 28 * 86400 ? { month: 'short', year: '2-digit' } : passo >= 86400 ? { day: '2-digit', month: '2-digit' } : hora;
  return s.map((v) => new Date(v * 1000).toLocaleString('pt-BR', { ...o, timeZone: passo >= 86400 ? 'UTC' : undefined }));
}
export const dia = (s) => new Date(s * 1000).toLocaleDateString('pt-BR', { timeZone: 'UTC' });

/** Change as words and arrow as well as colour: "▲ 5,2% acima". */
export function variacao(x) {
  if (vazio(x)) return { texto: '–', classe: '' };
  if (x > 0) return { texto: `▲ ${porcento.format(x)} acima`, classe: 'alta' };
  if (x < 0) return { texto: `▼ ${porcento.format(-x)} abaixo`, classe: 'baixa' };
  return { texto: '= sem variação', classe: '' };
}

export const CANAIS = { vendas: 'Vendas (unidades)', faturamento: 'Faturamento (R$)' };
export const nomeCanal = (c) => CANAIS[c] ?? c;

/** Escapes text for innerHTML. */
export function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
