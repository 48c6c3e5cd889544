// The console's shell: configuration, routing (the URL's hash holds the page and its filters, so any view can be
// bookmarked), theme and keyboard.
import { setConfig } from './api.js';
import { h, clear } from './ui.js';
import { domainsPage } from './domains.js';
import { runsPage } from './runs.js';
import { runPage } from './run.js';
import { jobsPage } from './jobs.js';

const main = document.getElementById('main');
let cleanup = null;

const routes = [
  [/^\/?$/, () => domainsPage],
  [/^\/domains\/([^/]+)\/runs\/([^/]+)\/([^/]+)$/, () => runPage],
  [/^\/domains\/([^/]+)\/jobs(?:\/([^/]+))?$/, () => jobsPage],
  [/^\/domains\/([^/]+)(?:\/runs)?$/, () => runsPage],
];

export function navigate(path, params) {
  const query = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString() : '';
  location.hash = `#${path}${query ? `?${query}` : ''}`;
}

/** Replaces the current URL's query (filters) without adding a history entry or re-rendering. */
export function keepQuery(params) {
  const [path] = location.hash.slice(1).split('?');
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString();
  history.replaceState(null, '', `#${path}${query ? `?${query}` : ''}`);
}

export function crumbs(...items) {
  clear(document.getElementById('crumbs'), h('ol', {}, h('li', {}, h('a', { href: '#/', text: 'Domains' })),
    items.map(([text, href]) => h('li', {}, href ? h('a', { href, text }) : h('span', { 'aria-current': 'page', text })))));
}

async function render() {
  if (cleanup) { cleanup(); cleanup = null; }
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const params = Object.fromEntries(new URLSearchParams(query || ''));
  for (const [pattern, page] of routes) {
    const m = (path || '/').match(pattern);
    if (m) {
      const args = m.slice(1).map(s => (s === undefined ? undefined : decodeURIComponent(s)));
      clear(main);
      cleanup = await page()(main, args, params) || null;
      return;
    }
  }
  clear(main, h('p', { text: 'No such page.' }), h('a', { href: '#/', text: 'Domains' }));
}

function theme(dark) {
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  const button = document.getElementById('theme');
  button.setAttribute('aria-pressed', String(dark));
  localStorage.setItem('swf-console-theme', dark ? 'dark' : 'light');
}

function keyboard() {
  let pending = null;
  document.addEventListener('keydown', e => {
    const t = e.target;
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t instanceof HTMLElement && (t.closest('input, textarea, select, [contenteditable]') || t.closest('dialog'))) return;
    if (pending === 'g' && e.key === 'd') { pending = null; navigate('/'); return; }
    pending = e.key === 'g' ? 'g' : null;
    if (e.key === '/') {
      const target = main.querySelector('[data-search]') || main.querySelector('input, select');
      if (target) { e.preventDefault(); target.focus(); }
    } else if (e.key === 'j' || e.key === 'k') {
      const links = [...main.querySelectorAll('table tbody tr a.row-link')];
      if (!links.length) return;
      const i = links.indexOf(document.activeElement);
      const next = e.key === 'j' ? Math.min(links.length - 1, i + 1) : Math.max(0, i - 1);
      links[i < 0 ? 0 : next].focus();
      e.preventDefault();
    } else if (e.key === 't') {
      theme(document.documentElement.dataset.theme !== 'dark');
    } else if (e.key === '?') {
      document.getElementById('shortcuts').showModal();
    }
  });
}

async function start() {
  const stored = localStorage.getItem('swf-console-theme');
  theme(stored ? stored === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches);
  document.getElementById('theme').addEventListener('click', () => theme(document.documentElement.dataset.theme !== 'dark'));
  document.getElementById('keys').addEventListener('click', () => document.getElementById('shortcuts').showModal());
  keyboard();
  let config = { mode: 'local' };
  try { config = await (await fetch('config.json')).json(); } catch { /* served without a config: plain local */ }
  setConfig(config);
  const mode = document.getElementById('mode');
  mode.textContent = config.mode === 'proxy' ? `Signed proxy → ${config.endpoint}` : config.mode === 'strict' ? 'Strict mode' : 'Local host';
  window.addEventListener('hashchange', render);
  await render();
}

start();
