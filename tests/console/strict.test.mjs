// Strict mode through the signing proxy: the same console, each call signed with the operator's own keys (service
// execute-api), shows only the domains the operator's IAM policies allow, and a denied action shows AccessDenied.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACCOUNT, REGION, client, domainWithTypes, start, startHost, startProxy } from './support.mjs';
import { expectText, equal, hasOperation } from './expect.mjs';

const API = `arn:aws:execute-api:${REGION}:${ACCOUNT}:local/local`;

export const tests = [
  {
    name: 'strict_mode_proxy_shows_allowed_domains_and_access_denied',
    async run({ page, shot }) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'console-strict-'));
      const keysFile = path.join(dir, 'access-keys.json');
      const principal = name => `arn:aws:iam::${ACCOUNT}:user/${name}`;
      const stopping = [];
      try {
        // Three domains: the operator operates one, reads another, and may not touch the third.
        const names = ['operated', 'readonly', 'hidden'].map(n => `${n}-${Math.random().toString(36).slice(2, 8)}`);
        writeFileSync(keysFile, JSON.stringify({
          accessKeys: [
            {
              accessKeyId: 'AKIDADMIN', secretAccessKey: 'admin-secret', principal: principal('admin'),
              policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${API}/POST/*` }, { Effect: 'Allow', Action: 'swf:*', Resource: '*' }] }],
            },
            {
              accessKeyId: 'AKIDOPERATOR', secretAccessKey: 'operator-secret', principal: principal('orders-operator'),
              roles: [{ role: 'Operator', domain: names[0] }, { role: 'ReadOnly', domain: names[1] }],
              policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${API}/POST/account` }, { Effect: 'Allow', Action: 'swf:ListDomains', Resource: '*' }] }],
            },
          ],
        }));
        const host = await startHost(['--access-keys', keysFile]);
        stopping.push(host);
        const admin = await startProxy(host.url, 'AKIDADMIN', 'admin-secret');
        stopping.push(admin);
        // The operator's keys from a profile of a shared credentials file; --profile wins over the environment's
        // keys (here the admin's), as with the AWS CLI.
        const credentials = path.join(dir, 'credentials');
        writeFileSync(credentials, '[default]\naws_access_key_id = AKIDADMIN\naws_secret_access_key = admin-secret\n\n[operator]\naws_access_key_id = AKIDOPERATOR\naws_secret_access_key = operator-secret\n');
        const operator = await startProxy(host.url, 'AKIDADMIN', 'admin-secret', ['--profile', 'operator'],
          { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: path.join(dir, 'config') });
        stopping.push(operator);

        // Seeded through the admin's proxy: it signs for execute-api as any SDK would.
        const swf = client(admin.url);
        const domains = [];
        for (const name of names) {
          await swf('RegisterDomain', { name, workflowExecutionRetentionPeriodInDays: '1' });
          domains.push(name);
        }
        for (const domain of domains) {
          for (const type of ['order']) {
            await swf('RegisterWorkflowType', { domain, name: type, version: '1', defaultTaskList: { name: 'decisions' }, defaultChildPolicy: 'TERMINATE', defaultExecutionStartToCloseTimeout: '3600', defaultTaskStartToCloseTimeout: '60' });
          }
        }
        const readRun = await start(swf, names[1]);
        const ownRun = await start(swf, names[0]);

        await page.goto(`${operator.url}/console/`);
        const table = page.getByRole('table', { name: 'Domains' });
        await expectText(table, names[0]);
        await expectText(table, names[1]);
        equal(await table.getByText(names[2]).count(), 0, 'the domain the operator may not use is hidden');
        await expectText(page.locator('main'), /other domains? (is|are) not shown/);
        await shot('strict-domains');

        // Read-only domain: reading works, terminating is refused in the service's words.
        await page.goto(`${operator.url}/console/#/domains/${names[1]}/runs/${readRun.workflowId}/${readRun.runId}`);
        await expectText(page.locator('.run-header h1'), 'OPEN');
        await page.getByRole('button', { name: 'Terminate', exact: true }).click();
        const dialog = page.getByRole('dialog', { name: 'Terminate' });
        await dialog.getByLabel('Reason').fill('not mine');
        await dialog.getByRole('button', { name: 'Terminate', exact: true }).click();
        await expectText(dialog.getByRole('alert'), /AccessDenied.*orders-operator.*swf:TerminateWorkflowExecution/);
        await shot('strict-access-denied', { fullPage: false });
        await dialog.getByRole('button', { name: 'Cancel' }).click();

        // The operated domain: the same action goes through.
        await page.goto(`${operator.url}/console/#/domains/${names[0]}/runs/${ownRun.workflowId}/${ownRun.runId}`);
        await page.getByRole('button', { name: 'Terminate', exact: true }).click();
        await page.getByRole('dialog', { name: 'Terminate' }).getByRole('button', { name: 'Terminate', exact: true }).click();
        await expectText(page.locator('.run-header h1'), 'TERMINATED');
        // Who closed it: the operator's own principal, as IAM authenticated it (with DescribeClosure).
        if (await hasOperation(admin.url, names[0], 'DescribeClosure', { domain: names[0], execution: ownRun })) {
          await expectText(page.locator('dl.kv'), `PRINCIPAL ${principal('orders-operator')}`);
        }

        // The hidden domain by its name: refused, not shown.
        await page.goto(`${operator.url}/console/#/domains/${names[2]}`);
        await expectText(page.getByRole('alert'), /AccessDenied/);
      } finally {
        for (const p of stopping.reverse()) await p.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
