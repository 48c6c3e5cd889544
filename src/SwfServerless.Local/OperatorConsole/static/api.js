// Calls to the API on this page's own origin: the local host itself, or the signing proxy that forwards them to a
// stack. JSON 1.0, X-Amz-Target SimpleWorkflowService.<Action> (SWF) or SwfServerless.<Operation> (the operator API).
// Each call goes to the path that scopes it (/domains/{domain} for a domain's calls, /account for ListDomains), so
// IAM policies written per domain path apply to the console exactly as to any other client.

export class ApiError extends Error {
  constructor(type, message, status) {
    super(message || type);
    this.type = type;
    this.status = status;
  }
  // The service's own words, as an operator should read them.
  get text() { return `${this.type}: ${this.message}`; }
}

let config = { mode: 'local' };
export function setConfig(c) { config = c; }
export function getConfig() { return config; }

async function call(prefix, action, body, domain) {
  const path = domain ? `/domains/${encodeURIComponent(domain)}` : '/account';
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `${prefix}.${action}` },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError('NetworkError', `The console could not reach its server: ${e.message}`, 0);
  }
  const text = await response.text();
  let json = {};
  try { json = text ? JSON.parse(text) : {}; } catch { json = { message: text }; }
  if (!response.ok) {
    const raw = json.__type || response.headers.get('x-amzn-ErrorType') || `HTTP ${response.status}`;
    const type = String(raw).split('#').pop().split(':')[0];
    throw new ApiError(type, json.message || json.Message || '', response.status);
  }
  return json;
}

/** An SWF action; `domain` picks the /domains/{domain} path (null: /account). */
export const swf = (action, body, domain = body.domain) => call('SimpleWorkflowService', action, body, domain);

/** An operation of the operator API (issue 17), on the same endpoint. */
export const ops = (operation, body) => call('SwfServerless', operation, body, body.domain);

// Feature detection: the operator API's operations may be absent (an older server, or a stack without them). A server
// without one answers UnknownOperationException; anything else (even AccessDenied) means it exists.
const support = new Map();
export async function supports(operation, domain) {
  const key = `${operation}@${domain}`;
  if (!support.has(key)) {
    const probes = {
      PreviewClose: { domain, execution: { workflowId: 'console-probe' } },
      DescribeClosure: { domain, execution: { workflowId: 'console-probe', runId: 'console-probe' } },
      ListBatchOperations: { domain, maximumPageSize: 1 },
    };
    support.set(key, ops(operation, probes[operation] ?? { domain }).then(() => true, e => e.type !== 'UnknownOperationException'));
  }
  return support.get(key);
}

/** Every page of a list call, concatenated (`key` names the array member). */
export async function all(action, body, key, limit = Infinity) {
  const items = [];
  let token;
  do {
    const page = await swf(action, { ...body, ...(token ? { nextPageToken: token } : {}) });
    items.push(...(page[key] || []));
    token = page.nextPageToken;
  } while (token && items.length < limit);
  return items;
}
