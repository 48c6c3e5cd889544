// A domain's batch jobs (the operator API's ListBatchOperations / DescribeBatchOperation / StopBatchOperation):
// progress, failures and Stop, refreshed while a job runs. Hidden, with a note, when the server lacks the operations.
import { ops, supports } from './api.js';
import { h, clear, errorBox, anyValue, modal, field, toast } from './ui.js';
import { crumbs } from './app.js';

const RUNNING = /RUNNING|STARTED|PENDING|STOPPING|IN_PROGRESS|WAITING/i;

export async function jobsPage(main, [domain, jobId]) {
  const base = `#/domains/${encodeURIComponent(domain)}`;
  crumbs([domain, base], ['Batch jobs', jobId ? `${base}/jobs` : null], ...(jobId ? [[jobId]] : []));
  const box = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', { text: jobId ? `Batch job ${jobId}` : `Batch jobs in ${domain}` }),
    h('nav.tabs', { 'aria-label': 'Executions' }, h('a', { href: `${base}?status=open`, text: 'Open' }), h('a', { href: `${base}?status=closed`, text: 'Closed' }),
      h('a', { href: `${base}/jobs`, 'aria-current': 'page', text: 'Batch jobs' })), box);
  if (!await supports('ListBatchOperations', domain)) {
    clear(box, h('p.notice', { text: 'This server has no batch operations (StartBatchOperation and its kin answer UnknownOperationException). Select runs on the Open tab once it has them; until then, terminate or cancel runs one at a time.' }));
    document.body.dataset.ready = 'jobs';
    return null;
  }
  let timer; let stopped = false;
  const tick = async () => {
    let live = false;
    try {
      if (jobId) {
        const job = await ops('DescribeBatchOperation', { domain, jobId });
        const info = job.job || job;
        live = RUNNING.test(info.state || info.status || '');
        clear(box, h('div.actions', {}, h('button.danger', { type: 'button', text: 'Stop', disabled: !live, on: { click: () => stopDialog(domain, jobId, tick) } })), anyValue(info));
      } else {
        const list = await ops('ListBatchOperations', { domain, maximumPageSize: 100 });
        const jobs = list.jobs || list.batchOperations || list.operations || [];
        live = jobs.some(j => RUNNING.test(j.state || j.status || ''));
        clear(box, jobs.length ? h('table.data', { 'aria-label': 'Batch jobs' },
          h('thead', {}, h('tr', {}, ['Job ID', 'Operation', 'State', 'Progress', 'Started'].map(t => h('th', { scope: 'col', text: t })))),
          h('tbody', {}, jobs.map(j => h('tr', {},
            h('td', {}, h('a.row-link.mono', { href: `${base}/jobs/${encodeURIComponent(j.jobId)}`, text: j.jobId })),
            h('td', { text: j.operation || '' }), h('td', { text: j.state || j.status || '' }),
            h('td', { text: progress(j) }), h('td', { text: j.startTimestamp ? new Date(j.startTimestamp * 1000).toLocaleString() : '' })))))
          : h('p.muted', { text: 'No batch job yet. Select open runs, or all runs matching a filter, on the Open tab.' }));
      }
    } catch (e) { clear(box, errorBox(e)); }
    document.body.dataset.ready = 'jobs';
    if (!stopped && live) timer = setTimeout(tick, 1000);
  };
  await tick();
  return () => { stopped = true; clearTimeout(timer); };
}

function progress(job) {
  const c = job.counts || job;
  const done = ['succeeded', 'alreadyClosed', 'failed'].map(k => c[k] || 0).reduce((a, b) => a + b, 0);
  return c.total !== undefined ? `${done} / ${c.total}${c.failed ? ` (${c.failed} failed)` : ''}` : '';
}

function stopDialog(domain, jobId, done) {
  const { dialog, body } = modal('Stop batch job', { danger: true });
  const reason = h('textarea', { rows: 2 });
  const errors = h('div');
  const button = h('button.danger', { type: 'submit', text: 'Stop' });
  clear(body, h('form', {
    on: {
      submit: async e => {
        e.preventDefault();
        try {
          await ops('StopBatchOperation', { domain, jobId, ...(reason.value ? { reason: reason.value } : {}) });
          dialog.close();
          toast(`Job ${jobId} stopped.`, 'ok');
          done();
        } catch (err) { clear(errors, errorBox(err)); }
      },
    },
  }, field('Reason', reason), errors, h('div.dialog-actions', {}, h('button', { type: 'button', text: 'Cancel', on: { click: () => dialog.close() } }), button)));
}
