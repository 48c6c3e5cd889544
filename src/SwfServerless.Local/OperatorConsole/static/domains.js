// The first page: the domains the operator may use. ListDomains lists every domain of the account; behind the signing
// proxy, IAM may allow the operator only some of them, so each listed domain is probed with DescribeDomain on its own
// path and those that answer AccessDenied are left out (they would be unusable anyway).
import { swf, all, getConfig } from './api.js';
import { h, clear, errorBox, select } from './ui.js';
import { crumbs, navigate, keepQuery } from './app.js';

export async function domainsPage(main, _args, params) {
  crumbs();
  const status = params.status || 'REGISTERED';
  const statusSelect = select([['REGISTERED', 'Registered'], ['DEPRECATED', 'Deprecated']], status);
  statusSelect.id = 'registration-status';
  statusSelect.addEventListener('change', () => navigate('/', { status: statusSelect.value }));
  const openForm = h('form.inline', { on: { submit: e => { e.preventDefault(); const v = e.target.elements.domain.value.trim(); if (v) navigate(`/domains/${encodeURIComponent(v)}`); } } },
    h('label', { for: 'open-domain', text: 'Domain' }), h('input#open-domain', { name: 'domain', 'data-search': true, autocomplete: 'off' }),
    h('button', { type: 'submit', text: 'Open domain' }));
  const body = h('div', { 'aria-busy': 'true' }, h('p.muted', { text: 'Loading domains…' }));
  main.append(h('h1', { text: 'Domains' }),
    h('div.toolbar', {}, h('label', { for: 'registration-status', text: 'Registration status' }), statusSelect, openForm), body);
  keepQuery(params.status ? { status } : {});

  const pinned = getConfig().domain;
  let infos;
  try {
    infos = pinned ? [(await swf('DescribeDomain', { name: pinned }, pinned)).domainInfo]
      : await all('ListDomains', { registrationStatus: status, maximumPageSize: 1000 }, 'domainInfos');
  } catch (e) {
    clear(body, errorBox(e), h('p', { text: 'ListDomains is not allowed here: open a domain by its name above.' }));
    body.removeAttribute('aria-busy');
    return;
  }
  const hidden = [];
  const allowed = (await Promise.all(infos.map(async info => {
    if (pinned) return info;
    try {
      await swf('DescribeDomain', { name: info.name }, info.name);
      return info;
    } catch (e) {
      if (e.type === 'AccessDeniedException' || e.type === 'AccessDenied' || e.status === 403) { hidden.push(info.name); return null; }
      return info;
    }
  }))).filter(Boolean);
  body.removeAttribute('aria-busy');
  if (!allowed.length) {
    clear(body, h('p', { text: `No ${status.toLowerCase()} domain${hidden.length ? ' that your credentials may use' : ''}.` }));
    return;
  }
  clear(body,
    h('table.data', { 'aria-label': 'Domains' },
      h('thead', {}, h('tr', {}, ['Name', 'Status', 'Description'].map(t => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, allowed.map(info => h('tr', {},
        h('td', {}, h('a.row-link', { href: `#/domains/${encodeURIComponent(info.name)}`, text: info.name })),
        h('td', { text: info.status }), h('td', { text: info.description || '' }))))),
    hidden.length ? h('p.muted', { text: `${hidden.length} other domain${hidden.length > 1 ? 's are' : ' is'} not shown: your credentials may not use ${hidden.length > 1 ? 'them' : 'it'}.` }) : null);
  document.body.dataset.ready = 'domains';
}
