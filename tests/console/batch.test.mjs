// Batch jobs from the list (the operator API's StartBatchOperation and its kin, issue 17): select every open run
// matching a filter, preview the job with a dry run, start a cancel-then-terminate, and watch the jobs page until a
// cooperating decider has closed its runs as CANCELED and the rest were terminated after the grace. Skipped (not
// counted) on a server without the batch operations. A dry run over a tree shows its cascade: what the job would take
// down below its targets, by effect, and that part of it is uncertain.
import { client, decider, domainWithTypes, listed, start, unique, until } from './support.mjs';
import { expectText, expectCount, hasOperation, skip } from './expect.mjs';

export const tests = [
  {
    name: 'batch_cancel_then_terminate_from_a_filter',
    async run({ page, host, shot }) {
      const swf = client(host.url);
      const domain = await domainWithTypes(swf);
      if (!await hasOperation(host.url, domain, 'ListBatchOperations')) skip('the server has no batch operations');
      const runs = [];
      for (const kind of ['coop', 'coop', 'stuck', 'stuck']) runs.push(await start(swf, domain, unique(`deploy-${kind}`), { tagList: ['bad-deploy'] }));
      const bystander = await start(swf, domain, unique('bystander'), { tagList: ['good'] });
      // Cooperating deciders honour the cancel request; the "stuck" runs' decider never answers it.
      const d = decider(swf, domain, (events, execution) => (execution.workflowId.includes('-coop-') && events.some(e => e.eventType === 'WorkflowExecutionCancelRequested')
        ? [{ decisionType: 'CancelWorkflowExecution', cancelWorkflowExecutionDecisionAttributes: {} }] : []));
      try {
        await page.goto(`${host.url}/console/#/domains/${domain}?status=open&filter=tag&value=bad-deploy`);
        await expectText(page.locator('p.count'), '4 open runs match');
        await page.getByLabel('Select all runs on this page').check();
        await page.getByRole('button', { name: 'Select all 4 runs matching this filter' }).click();
        await expectText(page.locator('.selection'), 'All 4 runs matching this filter are selected');
        await page.getByRole('button', { name: 'Batch action…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Batch action' });
        await dialog.getByLabel('Operation', { exact: true }).selectOption('CANCEL_THEN_TERMINATE');
        await dialog.getByLabel('Reason').fill('bad deploy 43');
        await dialog.getByLabel('Terminate after (seconds)').fill('3');
        await dialog.getByRole('button', { name: 'Preview (dry run)' }).click();
        await expectText(dialog.locator('.preview'), 'Dry run');
        await expectText(dialog.locator('.preview'), /4/);
        await shot('batch-dry-run', { fullPage: false });
        await dialog.getByRole('button', { name: 'Start job' }).click();

        // The jobs page, refreshed until the job is done: exact counts.
        await expectText(page.locator('h1'), 'Batch jobs');
        await page.locator('table[aria-label="Batch jobs"] a.row-link').first().click();
        await expectText(page.locator('main'), /canceledGracefully\s*2/, 60_000);
        await expectText(page.locator('main'), /terminatedAfterGrace\s*2/, 60_000);
        await shot('batch-job');
        for (const run of runs) await listed(swf, domain, run.workflowId);
        await page.goto(`${host.url}/console/#/domains/${domain}?status=closed&filter=tag&value=bad-deploy`);
        await expectText(page.locator('p.count'), '4 closed runs match');
        await expectCount(page.locator('table[aria-label="Closed executions"] tbody tr', { hasText: 'CANCELED' }), 2);
        await expectCount(page.locator('table[aria-label="Closed executions"] tbody tr', { hasText: 'TERMINATED' }), 2);
        const open = await swf('DescribeWorkflowExecution', { domain, execution: bystander });
        if (open.executionInfo.executionStatus !== 'OPEN') throw new Error('a run outside the filter was closed');
      } finally {
        await d.stop();
      }
    },
  },
  {
    name: 'batch_dry_run_shows_the_cascade',
    async run({ page, host, shot }) {
      const swf = client(host.url);
      const domain = await domainWithTypes(swf);
      if (!await hasOperation(host.url, domain, 'ListBatchOperations')) skip('the server has no batch operations');
      // root (TERMINATE) -> a (REQUEST_CANCEL) -> a1; root -> b (ABANDON) -> b1. Each run starts its children on its
      // first decision task; nobody decides the grandchildren.
      const root = await start(swf, domain, unique('tree'), { tagList: ['tree'], childPolicy: 'TERMINATE' });
      const child = (workflowId, childPolicy) => ({
        decisionType: 'StartChildWorkflowExecution',
        startChildWorkflowExecutionDecisionAttributes: { workflowId, workflowType: { name: 'child', version: '1' }, childPolicy },
      });
      const first = events => !events.some(e => e.eventType === 'StartChildWorkflowExecutionInitiated');
      const tops = decider(swf, domain, (events, execution) => (execution.workflowId === root.workflowId && first(events)
        ? [child(`${root.workflowId}-a`, 'REQUEST_CANCEL'), child(`${root.workflowId}-b`, 'ABANDON')] : []));
      const kids = decider(swf, domain, (events, execution) => (/-[ab]$/.test(execution.workflowId) && first(events)
        ? [child(`${execution.workflowId}1`, 'TERMINATE')] : []), 'children');
      try {
        await until(async () => {
          const open = await swf('CountOpenWorkflowExecutions', { domain, startTimeFilter: { oldestDate: 0 }, typeFilter: { name: 'child' } });
          return open.count === 4;
        }, 'the tree of 4 descendants open');
        for (const id of [`${root.workflowId}-a`, `${root.workflowId}-b`]) {
          await until(async () => {
            const runs = await swf('ListOpenWorkflowExecutions', { domain, startTimeFilter: { oldestDate: 0 }, executionFilter: { workflowId: id } });
            const run = runs.executionInfos[0];
            return run && (await swf('DescribeWorkflowExecution', { domain, execution: run.execution })).openCounts.openChildWorkflowExecutions === 1;
          }, `${id}'s child open`);
        }
        await page.goto(`${host.url}/console/#/domains/${domain}?status=open&filter=tag&value=tree`);
        await expectText(page.locator('p.count'), '1 open run matches');
        await page.getByLabel('Select all runs on this page').check();
        await page.getByRole('button', { name: 'Batch action…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Batch action' });
        await dialog.getByLabel('Operation', { exact: true }).selectOption('TERMINATE');
        await dialog.getByRole('button', { name: 'Preview (dry run)' }).click();
        const cascade = dialog.locator('.preview .cascade');
        await expectText(cascade, 'Blast radius: 4 open descendants of these runs');
        await expectText(cascade.locator('p.counts'), '2 terminated · 1 asked to cancel · 1 left running');
        await expectText(cascade.locator('p.uncertain'), /Uncertain: A cancel request in the cascade/);
        await expectText(cascade, /read units in \d+ DynamoDB calls/);
        await shot('batch-dry-run-cascade', { fullPage: false });

        // A cancel request leaves everything below the target to its decider; a signal has no cascade at all.
        await dialog.getByLabel('Operation', { exact: true }).selectOption('REQUEST_CANCEL');
        await dialog.getByRole('button', { name: 'Preview (dry run)' }).click();
        await expectText(dialog.locator('.preview .cascade p.counts'), '4 uncertain (their deciders decide)');
        await expectText(dialog.locator('.preview .cascade p.uncertain'), "Every target's decider decides");
        await dialog.getByLabel('Operation', { exact: true }).selectOption('SIGNAL');
        await dialog.getByLabel('Signal name').fill('ping');
        await dialog.getByRole('button', { name: 'Preview (dry run)' }).click();
        await expectText(dialog.locator('.preview'), 'A signal closes nothing');
      } finally {
        await tops.stop();
        await kids.stop();
      }
      await swf('TerminateWorkflowExecution', { domain, workflowId: root.workflowId, childPolicy: 'TERMINATE' });
    },
  },
];
