// Conditions the tests wait for, on playwright-core's auto-waiting locators (no fixed sleeps).
const TIMEOUT = 30_000;

/** Waits until one element of `locator` is visible and its text matches `text` (string or RegExp). */
export async function expectText(locator, text, timeout = TIMEOUT) {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
}

/** Waits until `locator` matches exactly `n` elements. */
export async function expectCount(locator, n, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const count = await locator.count();
    if (count === n) return;
    if (Date.now() > deadline) throw new Error(`expected ${n} elements, found ${count}`);
    await locator.page().waitForTimeout(50);
  }
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function equal(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Skips a test the server cannot run (an operation it does not have); reported, not counted. */
export function skip(message) {
  const e = new Error(message);
  e.skip = true;
  throw e;
}

/** Whether the server has an operation of the operator API (anything but UnknownOperationException). */
export async function hasOperation(url, domain, operation, body = { domain }) {
  const answer = await fetch(`${url}/domains/${encodeURIComponent(domain)}`, {
    method: 'POST', headers: { 'X-Amz-Target': `SwfServerless.${operation}`, 'Content-Type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body),
  }).then(r => r.json());
  return !String(answer.__type || '').endsWith('UnknownOperationException');
}
