// Batch jobs from the list (the operator API's StartBatchOperation and its kin, issue 17): select every open run
// matching a filter, preview the job with a dry run, start a cancel-then-terminate, and watch the jobs page until a
// cooperating decider has closed its runs as CANCELED and the rest were terminated after the grace. Skipped (not
// counted) on a server without the batch operations.
import { client, decider, domainWithTypes, listed, start, unique } from './support.mjs';
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
];
