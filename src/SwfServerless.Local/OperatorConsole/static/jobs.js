// A domain's batch jobs (the operator API's ListBatchOperations / DescribeBatchOperation / StopBatchOperation):
// progress, failures and Stop, refreshed while a job runs. Hidden, with a note, when the server lacks the operations.
import { ops, supports } from './api.js';
import { h, clear, errorBox, anyValue, modal, field, toast } from './ui.js';
import { crumbs } from './app.js';

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
        live = job.status === 'RUNNING';
        const { counts = {}, failures = [], ...rest } = job;
        clear(box, h('div.actions', {}, h('button.danger', { type: 'button', text: 'Stop', disabled: !live, on: { click: () => stopDialog(domain, jobId, tick) } })),
          h('p.count', { text: `${job.status} · phase ${job.phase} · ${progress(job)}` }),
          h('h2', { text: 'Counts' }), anyValue(counts),
          h('h2', { text: `Failures (${failures.length})` }),
          failures.length ? h('table.data', { 'aria-label': 'Failures' },
            h('thead', {}, h('tr', {}, ['Workflow ID', 'Run ID', 'Phase', 'Error'].map(t => h('th', { scope: 'col', text: t })))),
            h('tbody', {}, failures.map(f => h('tr', {}, h('td.mono', { text: f.execution.workflowId }), h('td.mono.small', { text: f.execution.runId }),
              h('td', { text: f.phase }), h('td', { text: f.error }))))) : h('p.muted', { text: 'None.' }),
          h('h2', { text: 'Job' }), anyValue(Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, /At$/.test(k) && typeof v === 'number' ? new Date(v * 1000).toLocaleString() : v]))));
      } else {
        const list = await ops('ListBatchOperations', { domain, maximumPageSize: 100 });
        const jobs = list.operations || [];
        live = jobs.some(j => j.status === 'RUNNING');
        clear(box, jobs.length ? h('table.data', { 'aria-label': 'Batch jobs' },
          h('thead', {}, h('tr', {}, ['Job ID', 'Operation', 'Status', 'Created'].map(t => h('th', { scope: 'col', text: t })))),
          h('tbody', {}, jobs.map(j => h('tr', {},
            h('td', {}, h('a.row-link.mono', { href: `${base}/jobs/${encodeURIComponent(j.jobId)}`, text: j.jobId })),
            h('td', { text: j.operation }), h('td', { text: j.status }),
            h('td', { text: j.createdAt ? new Date(j.createdAt * 1000).toLocaleString() : '' })))))
          : h('p.muted', { text: 'No batch job yet. Select open runs, or all runs matching a filter, on the Open tab.' }));
      }
    } catch (e) { clear(box, errorBox(e)); }
    document.body.dataset.ready = 'jobs';
    if (!stopped && live) timer = setTimeout(tick, 1000);
  };
  await tick();
  return () => { stopped = true; clearTimeout(timer); };
}

/** Settled out of total: succeeded + alreadyClosed + failed = total once the job is done (issue 17). */
function progress(job) {
  const c = job.counts || {};
  const done = (c.succeeded || 0) + (c.alreadyClosed || 0) + (c.failed || 0);
  return `${done} of ${c.total ?? '?'} settled${c.failed ? `, ${c.failed} failed` : ''}`;
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
