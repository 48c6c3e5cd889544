// The console's browser tests: Debian's chromium driven by playwright-core against the local host (started here
// in memory on a free port, as the README starts it), and in strict mode through the signing proxy. Screenshots go
// to artifacts/console/. Prints one closing line, "N passed, M failed" (scripts/test.sh adds it to its totals).
//   node tests/console/run.mjs [name-filter]
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO, startHost } from './support.mjs';
import { tests as flows } from './flows.test.mjs';
import { tests as pages } from './pages.test.mjs';
import { tests as strict } from './strict.test.mjs';
import { tests as batch } from './batch.test.mjs';

const ARTIFACTS = path.join(REPO, 'artifacts', 'console');
mkdirSync(ARTIFACTS, { recursive: true });
const filter = process.argv[2] || '';
const selected = [...pages, ...flows, ...batch, ...strict].filter(t => t.name.includes(filter));

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
let host;
let passed = 0; let failed = 0;
try {
  host = await startHost();
  for (const test of selected) {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true, colorScheme: 'light' });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', e => errors.push(e.message));
    // Console errors too (a Content-Security-Policy violation, say), but not the 4xx answers the tests provoke.
    page.on('console', m => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
    // The whole page, or (a dialog open: the backdrop covers only the viewport) what the operator sees.
    const shot = (name, { fullPage = true } = {}) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
    const started = Date.now();
    try {
      await test.run({ page, host, browser, shot });
      if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
      passed++;
      console.log(`ok     ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
      if (e.skip) {
        console.log(`skip   ${test.name}: ${e.message}`);
        continue;
      }
      failed++;
      console.log(`FAILED ${test.name}: ${e.stack || e}`);
      await shot(`FAILED-${test.name}`).catch(() => {});
    } finally {
      await context.close();
    }
  }
} catch (e) {
  failed++;
  console.log(`FAILED set-up: ${e.stack || e}`);
} finally {
  await browser.close();
  await host?.stop();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
