// One run: its summary, who closed it, the tree of its children and descendants (with what a close of this run would
// do to each), what is open in it, and its history. The page refreshes itself while anything on it can still change,
// so an operator sees the effect of an action (the run and its children closing) without reloading.
import { swf, ops, supports } from './api.js';
import { h, clear, errorBox, statusBadge, time, duration, ago, kv, runHref } from './ui.js';
import { crumbs } from './app.js';
import { derive, historySection } from './history.js';
import { closerText } from './runs.js';
import { requestCancelDialog, terminateDialog, signalDialog, effectOf } from './closing.js';

const REFRESH_MS = 1000;

async function loadHistory(domain, execution) {
  const events = [];
  let token;
  do {
    const page = await swf('GetWorkflowExecutionHistory', { domain, execution, maximumPageSize: 1000, ...(token ? { nextPageToken: token } : {}) });
    events.push(...page.events);
    token = page.nextPageToken;
  } while (token);
  return events;
}

/** A child's current state: its own DescribeWorkflowExecution (the parent's history stops when the parent closes). */
async function describeChildren(domain, children) {
  await Promise.all(children.filter(c => c.runId).slice(0, 200).map(async c => {
    try {
      const d = await swf('DescribeWorkflowExecution', { domain, execution: { workflowId: c.workflowId, runId: c.runId } });
      c.info = d.executionInfo;
      c.childPolicy = d.executionConfiguration.childPolicy;
      c.openChildren = d.openCounts.openChildWorkflowExecutions;
    } catch { /* gone after retention, or not allowed: the history's word stands */ }
  }));
  return children;
}

export async function runPage(main, [domain, workflowId, runId]) {
  const execution = { workflowId, runId };
  crumbs([domain, `#/domains/${encodeURIComponent(domain)}`], [workflowId]);
  const state = { history: {}, expanded: new Map(), timer: null, stopped: false, lastEventId: 0, closerShown: false };
  const header = h('div.run-header');
  const banner = h('div');
  const summary = h('section', { 'aria-labelledby': 'summary-title' });
  const tree = h('section', { 'aria-labelledby': 'children-title' });
  const open = h('section.open-items');
  const history = h('div');
  const message = h('div', { 'aria-live': 'assertive' });
  main.append(header, message, banner, summary, tree, open, history);
  const hasClosure = supports('DescribeClosure', domain);

  let data;
  const load = async () => {
    const describe = await swf('DescribeWorkflowExecution', { domain, execution });
    const latest = await swf('GetWorkflowExecutionHistory', { domain, execution, maximumPageSize: 1, reverseOrder: true });
    const lastEventId = latest.events[0]?.eventId || 0;
    const changed = !data || lastEventId !== state.lastEventId;
    const events = changed ? await loadHistory(domain, execution) : data.events;
    const derived = changed ? derive(events) : data.derived;
    // Children's own states: every tick for a few, every fifth for many (each is one DescribeWorkflowExecution).
    state.ticks = (state.ticks || 0) + 1;
    if (changed || derived.children.length <= 20 || state.ticks % 5 === 0) {
      await describeChildren(domain, derived.children);
      // The descendants the operator expanded, too: a terminate closes them by policy after the run itself.
      await Promise.all([...state.expanded.values()].map(list => describeChildren(domain, list)));
    }
    state.lastEventId = lastEventId;
    data = { describe, events, derived, changed };
    return data;
  };

  const draw = async () => {
    const { describe, events, derived } = data;
    // Redraw only what changed: a redraw would take the keyboard focus away from a button the operator is on.
    const states = list => list.map(c => [c.state, c.info?.executionStatus, c.info?.closeStatus, c.openChildren]);
    const signature = JSON.stringify([describe, state.lastEventId, states(derived.children), [...state.expanded.values()].map(states)]);
    if (signature === state.signature) {
      const wait = banner.querySelector('.cancel-wait');
      if (wait) wait.textContent = cancelWaitText(derived.cancelRequested);
      return;
    }
    state.signature = signature;
    const info = describe.executionInfo;
    const config = describe.executionConfiguration;
    const isOpen = info.executionStatus === 'OPEN';
    clear(header,
      h('h1', {}, h('span.mono', { text: workflowId }), ' ', statusBadge(info)),
      h('p.muted.mono', { text: `Run ${runId}` }),
      h('div.actions', { role: 'group', 'aria-label': 'Actions' },
        h('button.primary', { type: 'button', text: 'Request cancel', disabled: !isOpen || info.cancelRequested, on: { click: () => requestCancelDialog(domain, execution, refreshSoon) } }),
        h('button', { type: 'button', text: 'Signal', disabled: !isOpen, on: { click: () => signalDialog(domain, execution, refreshSoon) } }),
        h('span.spacer'),
        h('button.danger', { type: 'button', text: 'Terminate', disabled: !isOpen, on: { click: () => terminateDialog(domain, execution, data, refreshSoon) } })));

    // A cancel request the decider has not answered: how long it has waited, and the way out.
    clear(banner, isOpen && derived.cancelRequested ? h('div.notice', { role: 'status' },
      h('span.cancel-wait', { text: cancelWaitText(derived.cancelRequested) }),
      h('button.danger', { type: 'button', text: 'Terminate instead', on: { click: () => terminateDialog(domain, execution, data, refreshSoon) } })) : null);

    const counts = describe.openCounts;
    const closer = h('span', { text: isOpen ? '' : '…' });
    const cancelBy = h('span', { text: 'yes' });
    clear(summary, h('h2#summary-title', { text: 'Summary' }), kv([
      ['Status', info.executionStatus === 'OPEN' ? 'OPEN' : `CLOSED · ${info.closeStatus}`],
      ['Workflow type', `${info.workflowType.name} ${info.workflowType.version}`],
      ['Task list', config.taskList?.name],
      ['Task priority', config.taskPriority],
      ['Child policy', config.childPolicy],
      ['Execution start-to-close timeout', duration(config.executionStartToCloseTimeout)],
      ['Task start-to-close timeout', duration(config.taskStartToCloseTimeout)],
      ['Started', time(info.startTimestamp)],
      ['Closed', time(info.closeTimestamp)],
      ['Parent', info.parent ? h('a', { href: runHref(domain, info.parent), text: `${info.parent.workflowId} (parent)` }) : 'none'],
      ['Tags', (info.tagList || []).join(', ')],
      ['Open counts', `${counts.openActivityTasks} activities, ${counts.openDecisionTasks} decision tasks, ${counts.openTimers} timers, ${counts.openChildWorkflowExecutions} children`],
      ['Cancel requested', info.cancelRequested ? cancelBy : ''],
      ['Latest activity heartbeat', time(describe.latestActivityTaskTimestamp)],
      ['Closed by', isOpen ? '' : closer],
      ['Close reason', closeReason(events)],
    ]));
    if (await hasClosure && (!isOpen || info.cancelRequested)) {
      ops('DescribeClosure', { domain, execution }).then(c => {
        clear(closer, closerText(c, domain));
        if (c.cancelRequestedBy) clear(cancelBy, 'yes, by ', closerText({ closer: c.cancelRequestedBy }, domain));
      }, e => clear(closer, h('span.muted', { text: e.text })));
    } else if (!isOpen) {
      clear(closer, h('span.muted', { text: closedByHistory(events) }));
    }

    drawTree(domain, tree, derived.children, config.childPolicy, state);
    clear(open,
      h('h2', { text: `Open activities (${derived.activities.length})` }),
      derived.activities.length ? h('table.data', { 'aria-label': 'Open activities' },
        h('thead', {}, h('tr', {}, ['Activity ID', 'Type', 'Task list', 'Scheduled', 'Started by'].map(t => h('th', { scope: 'col', text: t })))),
        h('tbody', {}, derived.activities.map(a => h('tr', {}, h('td.mono', { text: a.activityId }), h('td', { text: `${a.activityType.name} ${a.activityType.version}` }),
          h('td', { text: a.taskList?.name }), h('td', { text: time(a.scheduledAt) }), h('td', { text: a.startedAt ? `${a.identity || 'a worker'} at ${time(a.startedAt)}` : 'not started' })))))
        : h('p.muted', { text: 'None.' }),
      h('h2', { text: `Open timers (${derived.timers.length})` }),
      derived.timers.length ? h('table.data', { 'aria-label': 'Open timers' },
        h('thead', {}, h('tr', {}, ['Timer ID', 'Started', 'Fires at'].map(t => h('th', { scope: 'col', text: t })))),
        h('tbody', {}, derived.timers.map(t => h('tr', {}, h('td.mono', { text: t.timerId }), h('td', { text: time(t.startedAt) }),
          h('td', { text: time(t.startedAt + Number(t.startToFireTimeout)) })))))
        : h('p.muted', { text: 'None.' }));
    if (data.changed) clear(history, historySection(domain, execution, events, state.history));
    main.dataset.status = isOpen ? 'OPEN' : info.closeStatus;
    document.body.dataset.ready = 'run';
  };

  const tick = async () => {
    if (state.stopped) return;
    if (document.hidden && data) { state.timer = setTimeout(tick, REFRESH_MS); return; }
    try {
      await load();
      await draw();
      clear(message);
    } catch (e) {
      clear(message, errorBox(e));
    }
    const live = data && (data.describe.executionInfo.executionStatus === 'OPEN'
      || [data.derived.children, ...state.expanded.values()].some(list => list.some(c => (c.info ? c.info.executionStatus === 'OPEN' : c.state === 'OPEN' || c.state === 'STARTING'))));
    // Refresh while the run or any child can still change; a closed run with closed children is final.
    if (!state.stopped && (live || !data)) state.timer = setTimeout(tick, REFRESH_MS);
  };
  const refreshSoon = () => { clearTimeout(state.timer); tick(); };
  await tick();
  return () => { state.stopped = true; clearTimeout(state.timer); };
}

function cancelWaitText(requested) {
  return `Cancel requested ${ago(requested.eventTimestamp)} ago; the decider has not closed the run yet.`;
}

function closeReason(events) {
  const last = events[events.length - 1];
  if (!last) return '';
  const a = Object.entries(last).find(([k]) => k.endsWith('EventAttributes'))?.[1] || {};
  if (last.eventType === 'WorkflowExecutionTerminated') return [a.reason, a.details, a.cause ? `cause ${a.cause}` : ''].filter(Boolean).join(' · ') || 'terminated';
  if (last.eventType === 'WorkflowExecutionTimedOut') return `timed out (${a.timeoutType})`;
  if (last.eventType === 'WorkflowExecutionFailed') return [a.reason, a.details].filter(Boolean).join(' · ');
  return '';
}

/** Without DescribeClosure, what SWF's own events tell about who closed a run. */
function closedByHistory(events) {
  const last = events[events.length - 1] || {};
  const a = Object.entries(last).find(([k]) => k.endsWith('EventAttributes'))?.[1] || {};
  switch (last.eventType) {
    case 'WorkflowExecutionTerminated': return a.cause === 'CHILD_POLICY_APPLIED' ? 'its parent (child policy)' : a.cause ? `the service (${a.cause})` : 'an operator (TerminateWorkflowExecution)';
    case 'WorkflowExecutionTimedOut': return 'the service (timeout)';
    default: return 'its decider';
  }
}

// Through the CSSOM: the page's Content-Security-Policy allows no inline style attributes.
function indent(td, depth) { td.style.paddingLeft = `${0.5 + depth * 1.5}rem`; return td; }

/** The children and, on demand, their descendants, with what a close of this run would do to each. */
function drawTree(domain, box, children, policy, state) {
  const rows = [];
  const add = (list, depth, parentEffect, parentPolicy) => {
    for (const c of list) {
      const stateText = c.info ? (c.info.executionStatus === 'OPEN' ? 'OPEN' : c.info.closeStatus) : c.state;
      const isOpen = stateText === 'OPEN' || stateText === 'STARTING';
      const effect = isOpen ? effectOf(parentEffect, parentPolicy) : { text: '—', kind: 'none' };
      const key = `${c.workflowId}/${c.runId}`;
      const expanded = state.expanded.get(key);
      const canExpand = c.runId && (c.openChildren > 0 || expanded);
      rows.push(h('tr', { 'data-workflow-id': c.workflowId },
        indent(h('td', {},
          canExpand ? h('button.expander', {
            type: 'button', 'aria-expanded': String(Boolean(expanded)), 'aria-label': `Children of ${c.workflowId}`, text: expanded ? '▾' : '▸',
            on: {
              click: async () => {
                if (state.expanded.get(key)) state.expanded.delete(key);
                else {
                  const events = await loadHistory(domain, { workflowId: c.workflowId, runId: c.runId });
                  state.expanded.set(key, await describeChildren(domain, derive(events).children));
                }
                drawTree(domain, box, children, policy, state);
              },
            },
          }) : h('span.expander-space'),
          c.runId ? h('a.row-link.mono', { href: runHref(domain, { workflowId: c.workflowId, runId: c.runId }), text: c.workflowId }) : h('span.mono', { text: c.workflowId })), depth),
        h('td', { text: c.workflowType ? `${c.workflowType.name} ${c.workflowType.version}` : '' }),
        h('td', {}, h(`span.badge.s-${stateText.toLowerCase()}`, { text: stateText })),
        h('td', {}, h(`span.effect.e-${effect.kind}`, { text: effect.text }))));
      if (expanded) add(expanded, depth + 1, effect.kind, c.childPolicy);
    }
  };
  add(children, 0, 'closed', policy);
  clear(box, h('h2#children-title', { text: `Children (${children.length})` }),
    children.length ? h('table.data.tree', { 'aria-label': 'Children and descendants' },
      h('thead', {}, h('tr', {}, ['Workflow ID', 'Type', 'State', `If this run is terminated (child policy ${policy})`].map(t => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows)) : h('p.muted', { text: 'None.' }));
}
