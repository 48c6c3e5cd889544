// Closing runs. "Request cancel" is the primary, non-destructive action; "Terminate" is set apart, and its dialog
// shows what it will take down (PreviewClose, or the run's own history when the server lacks it) and asks for the
// workflow id at 10 or more descendants. Batch jobs start only after their dry run. A refusal shows the service's
// own message (AccessDenied in strict mode, UnknownResource when the run closed meanwhile).
import { swf, ops, supports } from './api.js';
import { h, clear, errorBox, modal, field, select, toast } from './ui.js';

export const CONFIRM_AT = 10;
const POLICIES = ['TERMINATE', 'REQUEST_CANCEL', 'ABANDON'];

/** What closing a run does to a child, given what happens to the child's parent and the parent's child policy. */
export function effectOf(parentEffect, parentPolicy) {
  if (parentEffect === 'closed' || parentEffect === 'terminate') {
    return {
      TERMINATE: { text: 'Terminated', kind: 'terminate' },
      REQUEST_CANCEL: { text: 'Asked to cancel (its decider decides)', kind: 'cancel' },
      ABANDON: { text: 'Left running', kind: 'abandon' },
    }[parentPolicy] || { text: parentPolicy, kind: 'none' };
  }
  if (parentEffect === 'cancel' || parentEffect === 'uncertain') return { text: "Uncertain: its parent's decider decides", kind: 'uncertain' };
  return { text: 'Unaffected', kind: 'abandon' };
}

function jobId(kind) { return `console-${kind}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`; }

function actions(...buttons) {
  return h('div.dialog-actions', {}, h('button', { type: 'button', text: 'Cancel', on: { click: e => e.target.closest('dialog').close() } }), ...buttons);
}

/** Runs `work` for a dialog's submit: errors in the service's words inside the dialog; closes and refreshes on success. */
async function submit(dialog, errors, button, work, done, message) {
  button.disabled = true;
  clear(errors);
  try {
    await work();
    dialog.close();
    toast(message, 'ok');
    done();
  } catch (e) {
    clear(errors, errorBox(e));
    button.disabled = false;
  }
}

export async function requestCancelDialog(domain, execution, done) {
  const { dialog, body } = modal('Request cancel');
  const viaJob = await supports('StartBatchOperation', domain).catch(() => false);
  const reason = h('textarea', { rows: 2, name: 'reason' });
  const errors = h('div');
  const button = h('button.primary', { type: 'submit', text: 'Request cancel' });
  clear(body, h('form', {
    on: {
      submit: e => {
        e.preventDefault();
        submit(dialog, errors, button, () => (viaJob && reason.value.trim()
          ? ops('StartBatchOperation', { domain, jobId: jobId('cancel'), operation: 'REQUEST_CANCEL', executions: [execution], reason: reason.value.trim() })
          : swf('RequestCancelWorkflowExecution', { domain, workflowId: execution.workflowId, runId: execution.runId })), done, 'Cancel requested.');
      },
    },
  },
  h('p', { text: `Asks the decider of ${execution.workflowId} to cancel the run: WorkflowExecutionCancelRequested is added to its history and a decision task is scheduled. The decider decides how to close it.` }),
  field('Reason', reason, viaJob ? 'Recorded as who closed the run (DescribeClosure).'
    : "SWF's RequestCancelWorkflowExecution carries no reason, and this server has no operator API to record one: it is not sent."),
  errors, actions(button)));
  reason.disabled = !viaJob;
  button.focus();
}

export function signalDialog(domain, execution, done) {
  const { dialog, body } = modal('Signal');
  const name = h('input', { name: 'signalName', required: true, maxlength: 256, autocomplete: 'off' });
  const input = h('textarea', { rows: 4, name: 'input', maxlength: 32768 });
  const errors = h('div');
  const button = h('button.primary', { type: 'submit', text: 'Signal' });
  clear(body, h('form', {
    on: {
      submit: e => {
        e.preventDefault();
        submit(dialog, errors, button, () => swf('SignalWorkflowExecution', {
          domain, workflowId: execution.workflowId, runId: execution.runId, signalName: name.value, ...(input.value ? { input: input.value } : {}),
        }), done, `Signal ${name.value} sent.`);
      },
    },
  }, field('Signal name', name), field('Input', input, 'optional, up to 32,768 characters'), errors, actions(button)));
  name.focus();
}

/** The number of open descendants in a PreviewClose answer (counts.descendants, issue 17's contract). */
export function previewTotal(preview) {
  return preview?.counts?.descendants ?? 0;
}

const EFFECTS = { TERMINATED: ['Terminated', 'terminate'], CANCEL_REQUESTED: ['Asked to cancel', 'cancel'], ABANDONED: ['Left running', 'abandon'], UNCERTAIN: ['Uncertain: a decider decides', 'uncertain'] };

/** PreviewClose's nodes (breadth first, each with its parent's runId) as a nested list under the run. */
function previewTree(preview) {
  const byParent = new Map();
  for (const n of preview.nodes || []) {
    if (!byParent.has(n.parentRunId)) byParent.set(n.parentRunId, []);
    byParent.get(n.parentRunId).push(n);
  }
  const list = runId => {
    const nodes = byParent.get(runId);
    if (!nodes) return null;
    return h('ul.tree', {}, nodes.map(n => {
      const [text, kind] = EFFECTS[n.effect] || [n.effect, 'none'];
      return h('li', {}, h('span.mono', { text: n.execution.workflowId }), ' ', h(`span.effect.e-${kind}`, { text: text }),
        h('span.muted', { text: ` (${n.workflowType.name} ${n.workflowType.version}, child policy ${n.childPolicy})` }), list(n.execution.runId));
    }));
  };
  return list(preview.execution.runId);
}

function previewSummary(p) {
  const c = p.counts;
  const total = c.descendants;
  const parts = [[c.terminated, 'terminated'], [c.cancelRequested, 'asked to cancel'], [c.abandoned, 'left running'], [c.uncertain, 'uncertain (their deciders decide)']]
    .filter(([n]) => n).map(([n, what]) => `${n} ${what}`);
  return [
    h('h3', { text: total ? `Blast radius: ${total} open descendant${total === 1 ? '' : 's'}` : 'Blast radius: no open descendants, only this run closes' }),
    parts.length ? h('p.counts', { text: parts.join(' · ') }) : null,
    p.uncertain ? h('p.muted', { text: 'A cancel request in the cascade leaves part of the outcome to deciders.' }) : null,
    previewTree(p),
    p.truncated ? h('p.muted', { text: `The tree lists the first ${p.nodes.length}; the counts cover all ${total}.` }) : null,
    h('p.muted.small', { text: `Preview read ${p.consumedReadUnits} read units in ${p.dynamoDbCalls} DynamoDB calls.` }),
  ];
}

export async function terminateDialog(domain, execution, data, done) {
  const { dialog, body } = modal('Terminate', { danger: true });
  const inForce = data.describe.executionConfiguration.childPolicy;
  const reason = h('textarea', { rows: 2, name: 'reason', maxlength: 256 });
  const details = h('textarea', { rows: 3, name: 'details', maxlength: 32768 });
  const policy = select(POLICIES.map(p => [p, p === inForce ? `${p} (in force)` : p]), inForce);
  policy.name = 'childPolicy';
  const preview = h('div.preview', { 'aria-live': 'polite' });
  const confirm = h('input', { name: 'confirm', autocomplete: 'off', spellcheck: false });
  const confirmField = field('Workflow ID', confirm, `Type ${execution.workflowId} to confirm.`);
  confirmField.hidden = true;
  const errors = h('div');
  const button = h('button.danger', { type: 'submit', text: 'Terminate' });
  let total = 0;
  const canPreview = await supports('PreviewClose', domain).catch(() => false);
  const check = () => { button.disabled = !confirmField.hidden && confirm.value !== execution.workflowId; };
  const showPreview = async () => {
    clear(preview, h('p.muted', { text: 'Previewing what this terminate takes down…' }));
    if (canPreview) {
      try {
        const p = await ops('PreviewClose', { domain, execution, operation: 'TERMINATE', childPolicy: policy.value });
        total = previewTotal(p);
        clear(preview, previewSummary(p));
      } catch (e) { clear(preview, errorBox(e)); }
    } else {
      // No PreviewClose on this server: what the run's history and its children's descriptions say, one level down.
      const open = data.derived.children.filter(c => (c.info ? c.info.executionStatus === 'OPEN' : c.state === 'OPEN'));
      const deeper = open.reduce((s, c) => s + (c.openChildren || 0), 0);
      total = open.length + deeper;
      const effect = { TERMINATE: 'terminated', REQUEST_CANCEL: 'asked to cancel (their deciders decide)', ABANDON: 'left running' }[policy.value];
      clear(preview,
        h('h3', { text: open.length ? `Blast radius: ${open.length} open child${open.length === 1 ? '' : 'ren'} ${effect}${deeper ? `, and their ${deeper} open children` : ''}` : 'Blast radius: no open children, only this run closes' }),
        h('ul.tree', {}, open.slice(0, 50).map(c => h('li', {}, h('span.mono', { text: c.workflowId }), c.openChildren ? ` (${c.openChildren} open children)` : ''))),
        h('p.muted', { text: 'From the run\'s history (this server has no PreviewClose): grandchildren are counted, not listed.' }));
    }
    confirmField.hidden = total < CONFIRM_AT;
    check();
  };
  policy.addEventListener('change', showPreview);
  confirm.addEventListener('input', check);
  clear(body, h('form', {
    on: {
      submit: e => {
        e.preventDefault();
        if (!confirmField.hidden && confirm.value !== execution.workflowId) return;
        submit(dialog, errors, button, () => swf('TerminateWorkflowExecution', {
          domain, workflowId: execution.workflowId, runId: execution.runId, childPolicy: policy.value,
          ...(reason.value ? { reason: reason.value } : {}), ...(details.value ? { details: details.value } : {}),
        }), done, `${execution.workflowId} terminated.`);
      },
    },
  },
  h('p.warning', { text: `Closes ${execution.workflowId} at once, without its decider. This cannot be undone; "Request cancel" lets the decider close it cleanly.` }),
  field('Reason', reason), field('Details', details), field('Child policy', policy, `In force for this run: ${inForce}.`),
  preview, confirmField, errors, actions(button)));
  reason.focus();
  await showPreview();
}

/** A batch dry run's cascade (dryRun.cascade): the targets' open descendants by effect, as the blast radius of one run. */
export function cascadeSummary(c, operation) {
  if (!c) {
    return operation === 'SIGNAL' ? [h('p.muted.cascade', { text: 'A signal closes nothing: no descendant is affected.' })] : [];
  }
  const n = c.counts;
  const parts = [[n.terminated, 'terminated'], [n.cancelRequested, 'asked to cancel'], [n.abandoned, 'left running'], [n.uncertain, 'uncertain (their deciders decide)']]
    .filter(([k]) => k).map(([k, what]) => `${k} ${what}`);
  const why = operation === 'CANCEL_THEN_TERMINATE'
    ? 'Counted as the terminate after the grace would do it: a decider that closes its run in the grace applies its own child policy.'
    : operation === 'REQUEST_CANCEL' ? "Every target's decider decides what happens below it."
      : c.nestedTargetsReached ? 'A target nested under another may be closed first by its ancestor\'s cascade.'
        : 'A cancel request in the cascade leaves part of the outcome to deciders.';
  return [h('div.cascade', {},
    h('h3', { text: n.descendants ? `Blast radius: ${n.descendants}${c.truncated ? '+' : ''} open descendant${n.descendants === 1 ? '' : 's'} of these runs` : 'Blast radius: no open descendants, only these runs' }),
    parts.length ? h('p.counts', { text: parts.join(' · ') }) : null,
    c.nestedTargets ? h('p.muted', { text: `${c.nestedTargets} of the runs sit under another run of the job (counted as runs, not descendants)${c.nestedTargetsReached ? `; ${c.nestedTargetsReached} of them its cascade reaches` : ''}.` }) : null,
    // CANCEL_THEN_TERMINATE is always uncertain, but with nothing below the runs there is nothing to be unsure of.
    c.uncertain && (n.descendants || c.nestedTargets) ? h('p.uncertain', { text: `Uncertain: ${why}` }) : null,
    c.truncated ? h('p.warning', { text: `Truncated: the walk stopped after ${n.descendants + c.nestedTargets} descendants; there are more.` }) : null,
    h('p.muted.small', { text: `Dry run read ${c.consumedReadUnits} read units in ${c.dynamoDbCalls} DynamoDB call${c.dynamoDbCalls === 1 ? '' : 's'}.` }))];
}

const OPERATIONS = [['CANCEL_THEN_TERMINATE', 'Cancel, then terminate what is still open'], ['REQUEST_CANCEL', 'Request cancel'], ['TERMINATE', 'Terminate'], ['SIGNAL', 'Signal']];

/** A batch job over selected runs or every open run matching a filter: dry run first, then start. */
export function batchDialog(domain, targets, started) {
  const { dialog, body } = modal('Batch action');
  const operation = select(OPERATIONS, 'CANCEL_THEN_TERMINATE');
  const reason = h('textarea', { rows: 2, name: 'reason' });
  const details = h('textarea', { rows: 2, name: 'details' });
  const policy = select([['', 'Each run\'s own'], ...POLICIES], '');
  const signalName = h('input', { name: 'signalName', autocomplete: 'off' });
  const input = h('textarea', { rows: 2, name: 'input' });
  const grace = h('input', { type: 'number', min: 0, value: 60, name: 'terminateAfterSeconds' });
  const rate = h('input', { type: 'number', min: 1, value: 50, name: 'maxOperationsPerSecond' });
  const id = h('input', { name: 'jobId', value: jobId('batch'), autocomplete: 'off' });
  const fields = {
    signal: [field('Signal name', signalName), field('Input', input, 'optional')],
    grace: field('Terminate after (seconds)', grace, 'Runs still open this long after the cancel request are terminated.'),
    closing: [field('Reason', reason), field('Details', details), field('Child policy', policy)],
  };
  const show = () => {
    const op = operation.value;
    fields.signal.forEach(f => { f.hidden = op !== 'SIGNAL'; });
    fields.grace.hidden = op !== 'CANCEL_THEN_TERMINATE';
    fields.closing.forEach(f => { f.hidden = op === 'SIGNAL'; });
    start.disabled = true;
    clear(preview);
  };
  const preview = h('div.preview', { 'aria-live': 'polite' });
  const errors = h('div');
  const request = dryRun => {
    const op = operation.value;
    return {
      domain, jobId: dryRun ? `${id.value}-dry-run` : id.value, operation: op, dryRun,
      ...(targets.executions ? { executions: targets.executions } : targets.filters),
      ...(op !== 'SIGNAL' && reason.value ? { reason: reason.value } : {}),
      ...(op !== 'SIGNAL' && details.value ? { details: details.value } : {}),
      ...(op !== 'SIGNAL' && policy.value ? { childPolicy: policy.value } : {}),
      ...(op === 'SIGNAL' ? { signalName: signalName.value, ...(input.value ? { input: input.value } : {}) } : {}),
      ...(op === 'CANCEL_THEN_TERMINATE' ? { terminateAfterSeconds: Number(grace.value) } : {}),
      ...(rate.value ? { maxOperationsPerSecond: Number(rate.value) } : {}),
    };
  };
  const dry = h('button', {
    type: 'button', text: 'Preview (dry run)',
    on: {
      click: async () => {
        clear(errors);
        clear(preview, h('p.muted', { text: 'Dry run…' }));
        try {
          const answer = await ops('StartBatchOperation', request(true));
          const dry = answer.dryRun || {};
          const runs = dry.executions || [];
          clear(preview, h('h3', { text: `Dry run: the job would act on ${dry.total ?? runs.length} run${(dry.total ?? runs.length) === 1 ? '' : 's'} now` }),
            ...cascadeSummary(dry.cascade, operation.value),
            h('ul.tree', {}, runs.slice(0, 100).map(e => h('li.mono', { text: e.workflowId }))),
            dry.truncated || runs.length > 100 ? h('p.muted', { text: `Listing the first ${Math.min(100, runs.length)}.` }) : null);
          start.disabled = false;
        } catch (e) { clear(preview); clear(errors, errorBox(e)); }
      },
    },
  });
  const start = h('button.danger', { type: 'submit', text: 'Start job', disabled: true });
  operation.addEventListener('change', show);
  clear(body, h('form', {
    on: { submit: e => { e.preventDefault(); submit(dialog, errors, start, () => ops('StartBatchOperation', request(false)), started, `Batch job ${id.value} started.`); } },
  },
  h('p', { text: targets.executions ? `${targets.count} selected run${targets.count === 1 ? '' : 's'}.` : `All ${targets.count} open runs matching this filter (the target set is frozen when the job starts).` }),
  field('Operation', operation), fields.closing, fields.signal, fields.grace, field('Max operations per second', rate), field('Job ID', id),
  preview, errors, actions(dry, start)));
  show();
  operation.focus();
}
