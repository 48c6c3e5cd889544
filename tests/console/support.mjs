// Shared support for the console's browser tests and benchmark: the local host and the signing proxy as processes
// (started the README's way, `./scripts/local`, which publishes the host when a source changed), a small SWF
// client over fetch (JSON 1.0), a decider, and waiting for conditions (never sleeping for a fixed time).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';

export const unique = prefix => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A process of the local host (or its `console` proxy) in its own process group; `url` once it says it serves. */
export async function startProcess(args, pattern, env = {}) {
  const child = spawn(path.join(REPO, 'scripts', 'local'), args, {
    cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SWF_POLL_SECONDS: '5', SWF_MAX_DOMAINS: '100000', ...env },
  });
  const lines = [];
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not serving within 300 s (a first start publishes the host):\n${lines.join('\n')}`)), 300_000);
    const read = data => {
      for (const line of data.toString().split('\n')) {
        lines.push(line);
        const m = line.match(pattern);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`exited with ${code}:\n${lines.join('\n')}`)); });
  });
  return {
    url: url.replace(/\/$/, ''),
    lines,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise(resolve => child.once('exit', resolve));
      try { process.kill(-child.pid, 'SIGINT'); } catch { return; }
      const killer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 20_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export const startHost = (args = []) => startProcess(['--port', '0', '--in-memory', ...args], /SwfServerless is serving Amazon SWF's API at (http:\/\/\S+)/);

/** The signing proxy, signing with the given static keys (as the operator's environment would hold them). */
export const startProxy = (endpoint, key, secret, args = [], env = {}) => startProcess(['console', '--endpoint', endpoint, '--port', '0', ...args],
  /SwfServerless console at (http:\/\/\S+?)\/console\//, { AWS_ACCESS_KEY_ID: key, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: '', AWS_PROFILE: '', ...env });

/** An SWF client over fetch: client(url)('StartWorkflowExecution', {...}). Unsigned: for a plain host or a proxy. */
export function client(url) {
  return async (action, body) => {
    const domain = body.domain || (action === 'DescribeDomain' ? body.name : null);
    const where = domain ? `/domains/${encodeURIComponent(domain)}` : ['ListDomains', 'RegisterDomain'].includes(action) ? '/account' : '/';
    const response = await fetch(`${url}${where}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `SimpleWorkflowService.${action}` },
      body: JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(`${action}: ${json.__type} ${json.message}`);
    return json;
  };
}

/** A domain with one workflow type (decisions on `decisions`, children's type `child`). */
export async function domainWithTypes(swf, childPolicy = 'TERMINATE') {
  const domain = unique('console');
  await swf('RegisterDomain', { name: domain, workflowExecutionRetentionPeriodInDays: '1' });
  for (const name of ['order', 'child']) {
    await swf('RegisterWorkflowType', {
      domain, name, version: '1', defaultTaskList: { name: name === 'order' ? 'decisions' : 'children' }, defaultChildPolicy: childPolicy,
      defaultExecutionStartToCloseTimeout: '3600', defaultTaskStartToCloseTimeout: '60',
    });
  }
  return domain;
}

/** Starts a run and waits until SWF's list shows it (the visibility index is eventually consistent, as SWF's is). */
export async function start(swf, domain, workflowId = unique('order'), extra = {}) {
  const { runId } = await swf('StartWorkflowExecution', { domain, workflowId, workflowType: { name: 'order', version: '1' }, ...extra });
  await listed(swf, domain, workflowId, 'ListOpenWorkflowExecutions');
  return { workflowId, runId };
}

export async function listed(swf, domain, workflowId, action = 'ListClosedWorkflowExecutions') {
  await until(async () => (await swf(action, { domain, startTimeFilter: { oldestDate: 0 }, executionFilter: { workflowId } })).executionInfos.length > 0,
    `${workflowId} listed by ${action}`);
}

/**
 * A decider on task list `decisions` until stop(): `decide(events)` returns the decisions for a task (children to
 * start, a cancel to honour, ...). Each task's whole history is given.
 */
export function decider(swf, domain, decide, taskList = 'decisions') {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const task = await swf('PollForDecisionTask', { domain, taskList: { name: taskList }, identity: 'console-test-decider' }).catch(() => ({}));
      if (!task.taskToken) continue;
      let events = task.events;
      let token = task.nextPageToken;
      while (token) {
        const more = await swf('PollForDecisionTask', { domain, taskList: { name: taskList }, nextPageToken: token });
        events = events.concat(more.events);
        token = more.nextPageToken;
      }
      const decisions = decide(events, task.workflowExecution) || [];
      await swf('RespondDecisionTaskCompleted', { taskToken: task.taskToken, decisions }).catch(() => {});
    }
  })();
  return { stop: async () => { stopped = true; await loop; } };
}

/** A parent that starts `n` children on its first decision task (the children stay open: nobody decides them). */
export async function parentWithChildren(swf, domain, n) {
  const parent = await start(swf, domain, unique('parent'));
  const d = decider(swf, domain, (events, execution) => (execution.workflowId === parent.workflowId && !events.some(e => e.eventType === 'StartChildWorkflowExecutionInitiated')
    ? Array.from({ length: n }, (_, i) => ({
      decisionType: 'StartChildWorkflowExecution',
      startChildWorkflowExecutionDecisionAttributes: { workflowId: `${parent.workflowId}-child-${i}`, workflowType: { name: 'child', version: '1' } },
    })) : []));
  await until(async () => {
    const { openCounts } = await swf('DescribeWorkflowExecution', { domain, execution: parent });
    return openCounts.openChildWorkflowExecutions === n;
  }, `${n} children open`);
  const history = await swf('GetWorkflowExecutionHistory', { domain, execution: parent, maximumPageSize: 1000 });
  await until(async () => (await swf('GetWorkflowExecutionHistory', { domain, execution: parent, maximumPageSize: 1000 }))
    .events.filter(e => e.eventType === 'ChildWorkflowExecutionStarted').length === n, `${n} ChildWorkflowExecutionStarted`);
  await d.stop();
  return { parent, history };
}

/** Waits for a condition (polled every 100 ms) up to `seconds`; throws naming it. */
export async function until(condition, what, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}
