// Small DOM helpers: no framework, no build step.

/** h('tag.class#id', {attrs, on: {click}}, ...children) */
export function h(spec, attrs = {}, ...children) {
  const [, tag, rest] = spec.match(/^([a-z0-9-]+)(.*)$/i);
  const el = document.createElement(tag);
  for (const part of rest.match(/[.#][^.#]+/g) || []) {
    if (part[0] === '.') el.classList.add(part.slice(1)); else el.id = part.slice(1);
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'text') el.textContent = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) { el.replaceChildren(); append(el, children); return el; }

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
/** SWF timestamps are epoch seconds (with fractions). */
export function time(seconds) {
  if (seconds === undefined || seconds === null) return '';
  return dateFormat.format(new Date(seconds * 1000));
}
export function isoTime(seconds) { return seconds == null ? '' : new Date(seconds * 1000).toISOString(); }

export function ago(seconds) {
  const s = Math.max(0, Math.round(Date.now() / 1000 - seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function duration(value) {
  if (value === undefined || value === null || value === '') return '';
  if (value === 'NONE') return 'none';
  const s = Number(value);
  if (!Number.isFinite(s)) return String(value);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min (${s} s)`;
  return `${(s / 3600).toFixed(1)} h (${s} s)`;
}

/** The badge that tells a run's state: OPEN, or its close status (TERMINATED, CANCELED, TIMED_OUT, ...). */
export function statusBadge(info) {
  const status = info.executionStatus === 'OPEN' ? 'OPEN' : (info.closeStatus || info.executionStatus || 'UNKNOWN');
  return h(`span.badge.s-${status.toLowerCase()}`, { text: status });
}

export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const item = h(`div.toast.${kind}`, { text: message });
  box.append(item);
  setTimeout(() => item.remove(), 6000);
}

/** A region that shows an operation's error in the service's own words. */
export function errorBox(error) {
  return h('div.error', { role: 'alert' }, error.text || String(error.message || error));
}

export function kv(pairs) {
  return h('dl.kv', {}, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
}

export function runHref(domain, execution) {
  return `#/domains/${encodeURIComponent(domain)}/runs/${encodeURIComponent(execution.workflowId)}/${encodeURIComponent(execution.runId)}`;
}

export function download(name, text, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A <dialog> with a title; returns {dialog, body, close}. Esc and the Cancel button close it. */
export function modal(title, { danger = false } = {}) {
  const id = `d${Math.random().toString(36).slice(2)}`;
  const body = h('div.dialog-body');
  const dialog = h(`dialog${danger ? '.danger' : ''}`, { 'aria-labelledby': id },
    h('h2', { id, text: title }), body);
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
  return { dialog, body, close: () => dialog.close() };
}

/** A labelled field: the label is the control's accessible name. */
export function field(label, control, hint) {
  const id = control.id || `f${Math.random().toString(36).slice(2)}`;
  control.id = id;
  const hintEl = hint ? h('small.hint', { id: `${id}-hint`, text: hint }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div.field', {}, h('label', { for: id, text: label }), control, hintEl);
}

export function select(options, value) {
  return h('select', {}, options.map(o => {
    const [v, text] = Array.isArray(o) ? o : [o, o];
    return h('option', { value: v, selected: v === value, text });
  }));
}

/** Renders any JSON value as nested key/value lists (for the operator API's answers, whose shapes may grow). */
export function anyValue(value) {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return h('ul.plain', {}, value.map(v => h('li', {}, anyValue(v))));
  if (typeof value === 'object') return kv(Object.entries(value).map(([k, v]) => [k, anyValue(v)]));
  return String(value);
}
