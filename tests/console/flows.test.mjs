// The closure flows end to end, as an operator does them, without a page reload: find a run through the filters, see
// its children and what a terminate would do to them, terminate it with a reason (typing its workflow id at 10 or
// more descendants) and see it and its children close; request cancel and see a decider close the run as CANCELED;
// an unanswered cancel request and "Terminate instead"; signal; a run that closed meanwhile (UnknownResource).
import { client, decider, domainWithTypes, parentWithChildren, start, unique, until } from './support.mjs';
import { expectText, expectCount, assert, equal, hasOperation } from './expect.mjs';

/** Marks the page so that a reload (which would drop the mark) is detected. */
const markPage = page => page.evaluate(() => { window.consoleTestMark = 'no reload'; });
const assertNoReload = async page => equal(await page.evaluate(() => window.consoleTestMark), 'no reload', 'the page was not reloaded');

export const tests = [
  {
    name: 'terminate_a_parent_found_by_workflow_id_closes_it_and_its_children',
    async run({ page, host, shot }) {
      const swf = client(host.url);
      const domain = await domainWithTypes(swf);
      const { parent } = await parentWithChildren(swf, domain, 10);
      for (let i = 0; i < 3; i++) await start(swf, domain);

      await page.goto(`${host.url}/console/`);
      await markPage(page);
      await page.getByRole('link', { name: domain }).click();
      await page.getByLabel('Filter by').selectOption('workflowId');
      await page.getByLabel('Workflow ID').fill(parent.workflowId);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expectText(page.locator('p.count'), '1 open run matches');
      await page.getByRole('link', { name: parent.workflowId }).click();

      // Its children, each with what a terminate would do to it.
      const tree = page.getByRole('table', { name: 'Children and descendants' });
      await expectCount(tree.locator('tbody tr'), 10);
      await expectCount(tree.locator('tbody tr', { hasText: 'Terminated' }), 10);
      await shot('run-children');

      await page.getByRole('button', { name: 'Terminate', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Terminate' });
      await expectText(dialog, /Blast radius: 10 open (children|descendants)/);
      equal(await dialog.getByLabel('Child policy').inputValue(), 'TERMINATE', 'the child policy pre-filled with the one in force');
      await dialog.getByLabel('Reason').fill('bad deploy 42');
      await dialog.getByLabel('Details').fill('rolled back');
      const confirm = dialog.getByRole('button', { name: 'Terminate', exact: true });
      assert(await confirm.isDisabled(), 'Terminate waits for the workflow id at 10 descendants');
      await dialog.getByLabel('Workflow ID').fill(`${parent.workflowId}-typo`);
      assert(await confirm.isDisabled(), 'a wrong workflow id does not confirm');
      await dialog.getByLabel('Workflow ID').fill(parent.workflowId);
      await shot('terminate-dialog', { fullPage: false });
      await confirm.click();

      // The run and every child close, the history ends with WorkflowExecutionTerminated: no reload.
      await expectText(page.locator('.run-header h1'), 'TERMINATED');
      await expectCount(tree.locator('tbody tr', { hasText: 'TERMINATED' }), 10);
      const rows = page.locator('table[aria-label="History"] tbody tr');
      await expectText(rows.last(), 'WorkflowExecutionTerminated');
      await expectText(rows.last(), 'bad deploy 42');
      await expectText(page.locator('dl.kv'), 'bad deploy 42');
      // Who closed it: DescribeClosure's principal (plain local mode: "anonymous"), or SWF's events without it.
      const closure = await hasOperation(host.url, domain, 'DescribeClosure', { domain, execution: parent });
      await expectText(page.locator('dl.kv'), closure ? 'PRINCIPAL anonymous' : 'an operator (TerminateWorkflowExecution)');
      await assertNoReload(page);
      await shot('run-terminated');

      // A child: closed by its parent's child policy, with a link back up to the parent.
      await tree.getByRole('link', { name: `${parent.workflowId}-child-3` }).click();
      await expectText(page.locator('.run-header h1'), 'TERMINATED');
      await expectText(page.locator('dl.kv'), closure ? `PARENT parent ${parent.workflowId}` : 'its parent (child policy)');
      await page.getByRole('link', { name: `${parent.workflowId} (parent)` }).click();
      await expectText(page.locator('.run-header h1'), parent.workflowId);
      await assertNoReload(page);
    },
  },
  {
    name: 'descendants_expand_with_what_a_terminate_does_and_close_by_policy',
    async run({ page, host, shot }) {
      const swf = client(host.url);
      const domain = await domainWithTypes(swf);
      const root = await start(swf, domain, unique('root'));
      // One decider for the tree: the root starts two "order" children; each of those starts two "child" runs.
      const d = decider(swf, domain, (events, execution) => {
        const depth = execution.workflowId.split('.').length - 1;
        if (depth > 1 || events.some(e => e.eventType === 'StartChildWorkflowExecutionInitiated')) return [];
        return [0, 1].map(i => ({
          decisionType: 'StartChildWorkflowExecution',
          startChildWorkflowExecutionDecisionAttributes: { workflowId: `${execution.workflowId}.${i}`, workflowType: { name: depth === 0 ? 'order' : 'child', version: '1' } },
        }));
      });
      try {
        const openChildren = async workflowId => {
          const { executionInfos } = await swf('ListOpenWorkflowExecutions', { domain, startTimeFilter: { oldestDate: 0 }, executionFilter: { workflowId } });
          if (!executionInfos.length) return -1;
          return (await swf('DescribeWorkflowExecution', { domain, execution: executionInfos[0].execution })).openCounts.openChildWorkflowExecutions;
        };
        await until(async () => await openChildren(`${root.workflowId}.0`) === 2 && await openChildren(`${root.workflowId}.1`) === 2, 'two levels of children');
      } finally {
        await d.stop();
      }
      await page.goto(`${host.url}/console/#/domains/${domain}/runs/${root.workflowId}/${root.runId}`);
      await markPage(page);
      const tree = page.getByRole('table', { name: 'Children and descendants' });
      await expectCount(tree.locator('tbody tr'), 2);
      await page.getByRole('button', { name: `Children of ${root.workflowId}.0` }).click();
      await expectCount(tree.locator('tbody tr'), 4);
      await expectCount(tree.locator('tbody tr', { hasText: 'Terminated' }), 4);
      await shot('run-descendants');

      await page.getByRole('button', { name: 'Terminate', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Terminate' });
      await expectText(dialog, /Blast radius: (2 open children terminated, and their 4 open children|6 open descendants)/);
      await dialog.getByLabel('Reason').fill('tree test');
      await dialog.getByRole('button', { name: 'Terminate', exact: true }).click();
      await expectText(page.locator('.run-header h1'), 'TERMINATED');
      await expectCount(tree.locator('tbody tr', { hasText: 'TERMINATED' }), 4);
      await assertNoReload(page);
    },
  },
  {
    name: 'request_cancel_lets_the_decider_close_the_run_as_canceled',
    async run({ page, host, shot }) {
      const swf = client(host.url);
      const domain = await domainWithTypes(swf);
      const run = await start(swf, domain);
      // A cooperating decider: nothing to do until asked to cancel, then CancelWorkflowExecution.
      const d = decider(swf, domain, events => (events.some(e => e.eventType === 'WorkflowExecutionCancelRequested')
        ? [{ decisionType: 'CancelWorkflowExecution', cancelWorkflowExecutionDecisionAttributes: { details: 'cleaned up' } }] : []));
      try {
        await page.goto(`${host.url}/console/#/domains/${domain}/runs/${run.workflowId}/${run.runId}`);
        await markPage(page);
        await expectText(page.locator('.run-header h1'), 'OPEN');
        await page.getByRole('button', { name: 'Request cancel' }).click();
        const dialog = page.getByRole('dialog', { name: 'Request cancel' });
        await dialog.getByRole('button', { name: 'Request cancel' }).click();
        await expectText(page.locator('.run-header h1'), 'CANCELED');
        const rows = page.locator('table[aria-label="History"] tbody tr');
        await expectText(rows.last(), 'WorkflowExecutionCanceled');
        await expectCount(page.locator('table[aria-label="History"] tbody tr[data-event-type="WorkflowExecutionCancelRequested"]'), 1);
        await assertNoReload(page);
        await shot('run-canceled');
      } finally {
        await d.stop();
      }
    },
  },
  {
    name: 'an_unanswered_cancel_request_shows_its_wait_and_terminate_instead',
    async run({ page, host, shot }) {
      const swf = client(host.url);
      const domain = await domainWithTypes(swf);
      const run = await start(swf, domain);
      await page.goto(`${host.url}/console/#/domains/${domain}/runs/${run.workflowId}/${run.runId}`);
      await page.getByRole('button', { name: 'Request cancel' }).click();
      await page.getByRole('dialog', { name: 'Request cancel' }).getByRole('button', { name: 'Request cancel' }).click();
      await expectText(page.locator('.cancel-wait'), /Cancel requested \d+ s ago; the decider has not closed the run yet/);
      assert(await page.getByRole('button', { name: 'Request cancel' }).isDisabled(), 'a second cancel request is not offered');
      await shot('run-cancel-requested');
      await page.getByRole('button', { name: 'Terminate instead' }).click();
      const dialog = page.getByRole('dialog', { name: 'Terminate' });
      await dialog.getByLabel('Reason').fill('decider stuck');
      await dialog.getByRole('button', { name: 'Terminate', exact: true }).click();
      await expectText(page.locator('.run-header h1'), 'TERMINATED');
      await expectText(page.locator('table[aria-label="History"] tbody tr').last(), 'decider stuck');
    },
  },
  {
    name: 'signal_with_name_and_input',
    async run({ page, host }) {
      const swf = client(host.url);
      const domain = await domainWithTypes(swf);
      const run = await start(swf, domain);
      await page.goto(`${host.url}/console/#/domains/${domain}/runs/${run.workflowId}/${run.runId}`);
      await page.getByRole('button', { name: 'Signal' }).click();
      const dialog = page.getByRole('dialog', { name: 'Signal' });
      await dialog.getByLabel('Signal name').fill('expedite');
      await dialog.getByLabel('Input').fill('{"priority":1}');
      await dialog.getByRole('button', { name: 'Signal' }).click();
      await expectText(page.locator('table[aria-label="History"] tbody tr[data-event-type="WorkflowExecutionSignaled"]'), 'expedite');
    },
  },
  {
    name: 'a_run_closed_meanwhile_answers_unknown_resource_in_the_dialog',
    async run({ page, host, shot }) {
      const swf = client(host.url);
      const domain = await domainWithTypes(swf);
      const run = await start(swf, domain);
      await page.goto(`${host.url}/console/#/domains/${domain}/runs/${run.workflowId}/${run.runId}`);
      await page.getByRole('button', { name: 'Terminate', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Terminate' });
      await expectText(dialog, 'Blast radius');
      await swf('TerminateWorkflowExecution', { domain, workflowId: run.workflowId, runId: run.runId, reason: 'someone else' });
      await dialog.getByRole('button', { name: 'Terminate', exact: true }).click();
      await expectText(dialog.getByRole('alert'), /UnknownResourceFault: /);
      await shot('terminate-unknown-resource', { fullPage: false });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expectText(page.locator('.run-header h1'), 'TERMINATED');
    },
  },
];
