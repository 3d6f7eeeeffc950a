// The dashboard shell: sign-in, the three pages (hash routes), errors. Every figure comes from the
// read endpoints; without a credential holding view_dashboards nothing but the sign-in form shows.
import { api, credencial, ErroApi } from './api.js';
import { esc } from './format.js';
import { paginaSaude } from './page-health.js';
import { paginaSeries } from './page-series.js';
import { paginaVisao } from './page-overview.js';

const PAGINAS = {
  'visao-geral': { titulo: 'Visão geral', render: paginaVisao },
  series: { titulo: 'Explorar séries', render: paginaSeries },
  saude: { titulo: 'Saúde do modelo', render: paginaSaude },
};

const $ = (id) => document.getElementById(id);
const entrar = $('entrar');
const pagina = $('pagina');
const menu = $('menu');
const sair = $('sair');
let limpar = () => {};
let vez = 0;

export function avisar(texto) {
  $('aviso').textContent = texto;
}

function mostrarEntrada(mensagem = '') {
  limpar();
  limpar = () => {};
  pagina.hidden = true;
  pagina.innerHTML = '';
  menu.hidden = true;
  sair.hidden = true;
  entrar.hidden = false;
  $('entrar-erro').textContent = mensagem;
  document.title = 'Entrar · ttm';
  $('credencial').focus();
}

function mensagemDeErro(e) {
  if (e instanceof ErroApi && e.status === 401) return 'Chave ou token não aceito (ausente, inválido ou expirado). Entre novamente.';
  if (e instanceof ErroApi && e.status === 403) return 'Esta credencial não tem permissão para ver os painéis (view_dashboards).';
  return null;
}

async function abrir() {
  if (!credencial.get()) return mostrarEntrada();
  const nome = location.hash.replace(/^#\/?/, '') || 'visao-geral';
  const p = PAGINAS[nome] ?? PAGINAS['visao-geral'];
  const minha = ++vez;
  limpar();
  limpar = () => {};
  entrar.hidden = true;
  menu.hidden = false;
  sair.hidden = false;
  for (const a of menu.querySelectorAll('a')) {
    if (a.dataset.pagina === nome) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${p.titulo} · ttm`;
  pagina.hidden = false;
  pagina.setAttribute('aria-busy', 'true');
  pagina.innerHTML = `<h1 tabindex="-1">${esc(p.titulo)}</h1><p>Carregando…</p>`;
  try {
    const fim = await p.render(pagina, { avisar, atual: () => minha === vez });
    if (minha !== vez) return fim?.();
    limpar = fim ?? (() => {});
    pagina.removeAttribute('aria-busy');
    performance.mark(`ttm:pronta:${nome}`);
    document.body.dataset.pronta = nome;
    avisar(`${p.titulo} carregada.`);
    if (focarTitulo) pagina.querySelector('h1')?.focus();
    focarTitulo = true;
  } catch (e) {
    if (minha !== vez) return;
    const m = mensagemDeErro(e);
    if (m) {
      credencial.clear();
      return mostrarEntrada(m);
    }
    pagina.removeAttribute('aria-busy');
    pagina.innerHTML = `<h1 tabindex="-1">${esc(p.titulo)}</h1><p class="erro" role="alert">Não foi possível carregar: ${esc(e.message)}</p>`;
  }
}

// the first page keeps focus at the top of the document (the skip link is the first stop)
let focarTitulo = false;

$('entrar-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const valor = $('credencial').value.trim();
  if (!valor) {
    $('entrar-erro').textContent = 'Informe a chave ou o token.';
    return;
  }
  credencial.set(valor);
  try {
    await api.json('/series'); // proves the credential before showing a page
  } catch (e) {
    credencial.clear();
    $('entrar-erro').textContent = mensagemDeErro(e) ?? `Falha ao entrar: ${e.message}`;
    return;
  }
  $('credencial').value = '';
  focarTitulo = true;
  if (!location.hash) location.hash = '#/visao-geral';
  else abrir();
});

sair.addEventListener('click', () => {
  credencial.clear();
  history.replaceState(null, '', location.pathname);
  mostrarEntrada('Sessão encerrada.');
});

window.addEventListener('hashchange', abrir);
window.addEventListener('DOMContentLoaded', abrir);
