// What a run's history says: its events as a table (filterable by type) or JSON, and what is still open in it
// (activities, timers, children), derived the way SWF itself derives them from the events.
import { h, clear, time, isoTime, select, download, runHref } from './ui.js';

export function attributesOf(event) {
  const key = Object.keys(event).find(k => k.endsWith('EventAttributes'));
  return key ? event[key] : {};
}

const CHILD_CLOSES = {
  ChildWorkflowExecutionCompleted: 'COMPLETED', ChildWorkflowExecutionFailed: 'FAILED', ChildWorkflowExecutionCanceled: 'CANCELED',
  ChildWorkflowExecutionTerminated: 'TERMINATED', ChildWorkflowExecutionTimedOut: 'TIMED_OUT',
};

/** Open activities, open timers, the children (with what the history knows of them) and a pending cancel request. */
export function derive(events) {
  const activities = new Map(); const timers = new Map(); const children = new Map();
  let cancelRequested = null;
  for (const e of events) {
    const a = attributesOf(e);
    switch (e.eventType) {
      case 'ActivityTaskScheduled': activities.set(e.eventId, { ...a, scheduledAt: e.eventTimestamp }); break;
      case 'ActivityTaskStarted': { const x = activities.get(a.scheduledEventId); if (x) Object.assign(x, { startedAt: e.eventTimestamp, identity: a.identity }); break; }
      case 'ActivityTaskCompleted': case 'ActivityTaskFailed': case 'ActivityTaskTimedOut': case 'ActivityTaskCanceled':
        activities.delete(a.scheduledEventId); break;
      case 'TimerStarted': timers.set(a.timerId, { ...a, startedAt: e.eventTimestamp }); break;
      case 'TimerFired': case 'TimerCanceled': timers.delete(a.timerId); break;
      case 'StartChildWorkflowExecutionInitiated':
        children.set(e.eventId, { workflowId: a.workflowId, workflowType: a.workflowType, childPolicy: a.childPolicy, state: 'STARTING' }); break;
      case 'ChildWorkflowExecutionStarted': { const c = children.get(a.initiatedEventId); if (c) Object.assign(c, { runId: a.workflowExecution.runId, state: 'OPEN' }); break; }
      case 'StartChildWorkflowExecutionFailed': { const c = children.get(a.initiatedEventId); if (c) c.state = 'START_FAILED'; break; }
      case 'WorkflowExecutionCancelRequested': cancelRequested = e; break;
      case 'DecisionTaskCompleted': break;
      default:
        if (CHILD_CLOSES[e.eventType]) { const c = children.get(a.initiatedEventId); if (c) c.state = CHILD_CLOSES[e.eventType]; }
    }
  }
  return { activities: [...activities.values()], timers: [...timers.values()], children: [...children.values()], cancelRequested };
}

function compact(value) {
  return Object.entries(value || {}).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join('  ');
}

/** The history section: type filter, Table / JSON views, download. `state` keeps the operator's choices across refreshes. */
export function historySection(domain, execution, events, state) {
  const box = h('section', { 'aria-labelledby': 'history-title' });
  const types = [...new Set(events.map(e => e.eventType))].sort();
  const typeSelect = select([['', 'All event types'], ...types], state.type || '');
  typeSelect.id = 'event-type';
  const body = h('div');
  const views = ['Table', 'JSON'].map(v => h('button', {
    type: 'button', text: v, 'aria-pressed': String((state.view || 'Table') === v),
    on: { click: () => { state.view = v; views.forEach(b => b.setAttribute('aria-pressed', String(b.textContent === v))); draw(); } },
  }));
  const draw = () => {
    state.type = typeSelect.value;
    const shown = state.type ? events.filter(e => e.eventType === state.type) : events;
    if ((state.view || 'Table') === 'JSON') {
      clear(body, h('pre.json', { tabindex: '0', 'aria-label': 'History as JSON', text: JSON.stringify(shown, null, 2) }));
      return;
    }
    clear(body, h('table.data.history', { 'aria-label': 'History' },
      h('thead', {}, h('tr', {}, ['ID', 'Time', 'Event type', 'Attributes'].map(t => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, shown.map(e => {
        const a = attributesOf(e);
        const childRun = a.workflowExecution && a.workflowExecution.runId ? a.workflowExecution : null;
        return h('tr', { 'data-event-type': e.eventType },
          h('td.num', { text: e.eventId }), h('td.small', { text: time(e.eventTimestamp), title: isoTime(e.eventTimestamp) }),
          h('td', {}, childRun ? h('a.row-link', { href: runHref(domain, childRun), text: e.eventType, title: `Open child ${childRun.workflowId}` }) : e.eventType),
          h('td.attrs', {}, h('details', {}, h('summary', { text: compact(a).slice(0, 160) || '—' }), h('pre', { text: JSON.stringify(a, null, 2) }))));
      }))));
  };
  typeSelect.addEventListener('change', draw);
  box.append(h('h2#history-title', { text: `History (${events.length} events)` }),
    h('div.toolbar', {}, h('label', { for: 'event-type', text: 'Event type' }), typeSelect,
      h('div.segmented', { role: 'group', 'aria-label': 'History view' }, views),
      h('button', {
        type: 'button', text: 'Download history',
        on: { click: () => download(`${execution.workflowId}-${execution.runId}-history.json`, JSON.stringify({ events }, null, 2)) },
      })),
    body);
  draw();
  return box;
}
