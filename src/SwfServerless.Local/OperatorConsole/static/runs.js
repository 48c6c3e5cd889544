// A domain's executions: Open and Closed tabs, SWF's own filters (a start or close time window, plus one of workflow
// id, type, tag or close status, as SWF allows), the exact count (Count*WorkflowExecutions), paging with SWF's page
// tokens, and every filter kept in the URL. Open runs can be selected, or "all matching this filter", for a batch job.
import { swf, ops, supports } from './api.js';
import { h, clear, errorBox, statusBadge, time, select, field, runHref } from './ui.js';
import { crumbs, navigate } from './app.js';
import { batchDialog } from './closing.js';

const FILTERS = [['', 'No other filter'], ['workflowId', 'Workflow ID'], ['type', 'Type'], ['tag', 'Tag'], ['closeStatus', 'Close status']];
const CLOSE_STATUSES = ['COMPLETED', 'FAILED', 'CANCELED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'];

function toLocal(seconds) {
  if (!seconds) return '';
  const d = new Date(Number(seconds) * 1000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19);
}
function fromLocal(value) { return value ? String(Math.floor(new Date(value).getTime() / 1000)) : ''; }

/** SWF's request members for the URL's filters (one of execution/type/tag/closeStatus, as SWF accepts). */
export function swfFilters(q) {
  const closed = q.status === 'closed';
  const window = {};
  window.oldestDate = Number(q.from || 0);
  if (q.to) window.latestDate = Number(q.to);
  const body = { [closed && q.by === 'close' ? 'closeTimeFilter' : 'startTimeFilter']: window };
  if (q.filter === 'workflowId' && q.value) body.executionFilter = { workflowId: q.value };
  if (q.filter === 'type' && q.value) body.typeFilter = { name: q.value, ...(q.version ? { version: q.version } : {}) };
  if (q.filter === 'tag' && q.value) body.tagFilter = { tag: q.value };
  if (closed && q.filter === 'closeStatus' && q.value) body.closeStatusFilter = { status: q.value };
  return body;
}

export async function runsPage(main, [domain], params) {
  const q = { status: 'open', size: '50', ...params };
  const closed = q.status === 'closed';
  const base = `/domains/${encodeURIComponent(domain)}`;
  crumbs([domain]);
  const go = changes => navigate(base, { ...q, ...changes });

  const tabs = h('nav.tabs', { 'aria-label': 'Executions' },
    h('a', { href: `#${base}?status=open`, 'aria-current': closed ? null : 'page', text: 'Open' }),
    h('a', { href: `#${base}?status=closed`, 'aria-current': closed ? 'page' : null, text: 'Closed' }),
    h('a', { href: `#${base}/jobs`, text: 'Batch jobs' }));

  // The filter form: submitting it puts every value in the URL, which renders the page again.
  const filterKind = select(FILTERS.filter(([v]) => closed || v !== 'closeStatus'), q.filter || '');
  filterKind.name = 'filter';
  const valueInput = h('input', { name: 'value', value: q.filter !== 'closeStatus' ? (q.value || '') : '', autocomplete: 'off', 'data-search': true });
  const versionInput = h('input', { name: 'version', value: q.version || '', autocomplete: 'off' });
  const statusSelect = select([['', 'Any'], ...CLOSE_STATUSES], q.filter === 'closeStatus' ? q.value : '');
  statusSelect.name = 'closeStatus';
  const valueLabel = () => ({ workflowId: 'Workflow ID', type: 'Type name', tag: 'Tag' })[filterKind.value] || 'Value';
  const valueField = field(valueLabel(), valueInput);
  const versionField = field('Type version', versionInput, 'optional');
  const statusField = field('Close status', statusSelect);
  const showFields = () => {
    valueField.hidden = !['workflowId', 'type', 'tag'].includes(filterKind.value);
    valueField.querySelector('label').textContent = valueLabel();
    versionField.hidden = filterKind.value !== 'type';
    statusField.hidden = filterKind.value !== 'closeStatus';
  };
  filterKind.addEventListener('change', showFields);
  showFields();
  const by = select([['start', 'Start time'], ['close', 'Close time']], q.by || 'start');
  by.name = 'by';
  const from = h('input', { type: 'datetime-local', step: '1', name: 'from', value: toLocal(q.from) });
  const to = h('input', { type: 'datetime-local', step: '1', name: 'to', value: toLocal(q.to) });
  const size = select(['10', '25', '50', '100', '1000'], q.size);
  size.name = 'size';
  const form = h('form.filters', {
    'aria-label': 'Filters',
    on: {
      submit: e => {
        e.preventDefault();
        const value = filterKind.value === 'closeStatus' ? statusSelect.value : valueInput.value.trim();
        navigate(base, {
          status: q.status, by: closed ? by.value : '', from: fromLocal(from.value), to: fromLocal(to.value),
          filter: value ? filterKind.value : '', value, version: filterKind.value === 'type' ? versionInput.value.trim() : '', size: size.value,
        });
      },
    },
  },
  closed ? field('Time filter', by) : null, field(closed ? 'From' : 'Started from', from), field(closed ? 'To' : 'Started to', to),
  field('Filter by', filterKind), valueField, versionField, statusField, field('Page size', size),
  h('div.field.actions', {}, h('button.primary', { type: 'submit', text: 'Apply filters' }),
    h('button', { type: 'button', text: 'Clear', on: { click: () => navigate(base, { status: q.status }) } })));

  const summary = h('p.count', { 'aria-live': 'polite' });
  const tableBox = h('div', { 'aria-busy': 'true' });
  const pager = h('nav.pager', { 'aria-label': 'Pages' });
  const selectionBar = h('div.selection', { hidden: true, 'aria-live': 'polite' });
  main.append(h('h1', {}, 'Executions in ', h('span.mono', { text: domain })), tabs, form, summary, selectionBar, tableBox, pager);

  const filters = swfFilters(q);
  const listBody = { domain, ...filters, maximumPageSize: Number(q.size) || 50, ...(q.page ? { nextPageToken: q.page } : {}) };
  // The list, the count and the batch probe at once; the table shows as soon as the list is there, the count when
  // it comes (a count reads the index up to its bound, a page reads one page).
  const countCall = swf(closed ? 'CountClosedWorkflowExecutions' : 'CountOpenWorkflowExecutions', { domain, ...filters });
  const batchCall = closed ? Promise.resolve(false) : supports('ListBatchOperations', domain).catch(() => false);
  countCall.catch(() => {});
  let count = { count: 0 };
  let page;
  try {
    page = await swf(closed ? 'ListClosedWorkflowExecutions' : 'ListOpenWorkflowExecutions', listBody);
  } catch (e) {
    tableBox.removeAttribute('aria-busy');
    clear(tableBox, errorBox(e));
    return;
  }
  const runs = page.executionInfos || [];
  summary.textContent = 'Counting…';
  countCall.then(c => {
    count = c;
    summary.textContent = `${c.count}${c.truncated ? '+' : ''} ${closed ? 'closed' : 'open'} run${c.count === 1 ? '' : 's'} match${c.count === 1 ? 'es' : ''}${c.truncated ? ' (the count stopped at its bound)' : ''}.`;
    summary.dataset.count = String(c.count);
    document.body.dataset.countedMs = String(Math.round(performance.now()));
  }, e => clear(summary, errorBox(e)));

  // Selection for batch jobs (open runs only).
  const selected = new Map();
  let allMatching = false;
  const batchAllowed = !closed;
  const updateSelection = () => {
    selectionBar.hidden = !batchAllowed || (!selected.size && !allMatching);
    const n = allMatching ? count.count : selected.size;
    clear(selectionBar,
      h('span', { text: allMatching ? `All ${count.count} runs matching this filter are selected.` : `${n} run${n === 1 ? '' : 's'} selected.` }),
      !allMatching && selected.size === runs.length
        ? h('button.link', { type: 'button', text: `Select all ${count.count} runs matching this filter`, on: { click: () => { allMatching = true; updateSelection(); } } }) : null,
      h('button.primary', {
        type: 'button', text: 'Batch action…',
        on: {
          click: () => batchDialog(domain, allMatching
            ? { filters: filtersForBatch(filters), count: count.count }
            : { executions: [...selected.values()], count: selected.size }, () => navigate(`${base}/jobs`)),
        },
      }),
      h('button', { type: 'button', text: 'Clear selection', on: { click: () => { selected.clear(); allMatching = false; tableBox.querySelectorAll('input[type=checkbox]').forEach(c => { c.checked = false; }); updateSelection(); } } }));
  };
  const batch = await batchCall;

  const headers = [batch ? h('th', { scope: 'col' }, h('input', {
    type: 'checkbox', 'aria-label': 'Select all runs on this page',
    on: {
      change: e => {
        allMatching = false;
        tableBox.querySelectorAll('tbody input[type=checkbox]').forEach(c => { c.checked = e.target.checked; c.dispatchEvent(new Event('change')); });
      },
    },
  })) : null, ...['Workflow ID', 'Run ID', 'Type', 'Started', closed ? 'Closed' : 'Tags', 'Status', closed ? 'Closed by' : null]
    .filter(Boolean).map(t => h('th', { scope: 'col', text: t }))];
  const closers = new Map();
  const rows = runs.map(info => {
    const e = info.execution;
    const check = batch ? h('td', {}, h('input', {
      type: 'checkbox', 'aria-label': `Select ${e.workflowId}`,
      on: { change: ev => { if (ev.target.checked) selected.set(e.runId, e); else { selected.delete(e.runId); allMatching = false; } updateSelection(); } },
    })) : null;
    const closer = h('td.closer');
    closers.set(e.runId, closer);
    return h('tr', {}, check,
      h('td', {}, h('a.row-link.mono', { href: runHref(domain, e), text: e.workflowId })),
      h('td.mono.small', { text: e.runId }),
      h('td', { text: `${info.workflowType.name} ${info.workflowType.version}` }),
      h('td', { text: time(info.startTimestamp) }),
      h('td', { text: closed ? time(info.closeTimestamp) : (info.tagList || []).join(', ') }),
      h('td', {}, statusBadge(info), info.cancelRequested ? h('span.badge.s-pending', { text: 'cancel requested' }) : null),
      closed ? closer : null);
  });
  tableBox.removeAttribute('aria-busy');
  clear(tableBox, runs.length
    ? h('table.data', { 'aria-label': closed ? 'Closed executions' : 'Open executions' }, h('thead', {}, h('tr', {}, headers)), h('tbody', {}, rows))
    : h('p.muted', { text: 'No run matches.' }));

  // Paging: SWF's tokens; the previous pages' tokens are kept in the URL so that Back and bookmarks work.
  const trail = q.trail ? q.trail.split(',') : [];
  clear(pager,
    h('button', { type: 'button', text: 'Previous page', disabled: !q.page, on: { click: () => { const prev = trail.slice(0, -1); go({ page: trail[trail.length - 1] || '', trail: prev.join(',') }); } } }),
    h('span', { text: `Page ${trail.length + (q.page ? 2 : 1)} · ${runs.length} shown` }),
    h('button', { type: 'button', text: 'Next page', disabled: !page.nextPageToken, on: { click: () => go({ page: page.nextPageToken, trail: [...trail, q.page || ''].join(',') }) } }));
  document.body.dataset.ready = closed ? 'closed' : 'open';
  document.body.dataset.readyMs = String(Math.round(performance.now()));

  // Who closed each run (DescribeClosure), when the server has the operator API.
  if (closed && runs.length && await supports('DescribeClosure', domain)) {
    await Promise.all(runs.map(async info => {
      try {
        const c = await ops('DescribeClosure', { domain, execution: info.execution });
        clear(closers.get(info.execution.runId), closerText(c, domain));
      } catch (e) { clear(closers.get(info.execution.runId), h('span.muted', { text: e.type })); }
    }));
  } else if (closed) {
    closers.forEach(td => clear(td, h('span.muted', { text: '—' })));
  }
}

/** A filter as StartBatchOperation takes it: the open runs matching SWF's own filter members. */
function filtersForBatch(filters) {
  const { closeStatusFilter, closeTimeFilter, ...rest } = filters;
  return rest;
}

/** A closer as an operator reads it: "PRINCIPAL arn:…", "BATCH_JOB j by arn:…", "PARENT wf/run", … */
export function closerText(answer, domain) {
  const c = answer.closer;
  if (!c || !c.kind) return h('span.muted', { text: answer.executionStatus === 'OPEN' ? 'open' : 'not recorded' });
  const parts = [h('strong', { text: c.kind })];
  if (c.jobId) parts.push(` job ${c.jobId}`);
  if (c.principal) parts.push(` ${c.principal}`);
  if (c.parent) parts.push(' parent ', h('a', { href: runHref(domain, c.parent), text: c.parent.workflowId }));
  if (c.identity) parts.push(` ${c.identity}`);
  const reason = answer.reason || (answer.cause ? `cause ${answer.cause}` : '');
  if (reason) parts.push(h('span.muted', { text: ` — ${reason}` }));
  return h('span', {}, parts);
}
