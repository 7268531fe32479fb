import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { startUnleash, type Unleash } from 'unleash-client';
import { readStackEnv, waitFor } from '@ficus/common';

describe('smoke: a flag toggled through the Unleash Admin API reaches unleash-client', () => {
  const stack = readStackEnv();
  const flag = `smoke-${randomBytes(4).toString('hex')}`;
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.FICUS_UNLEASH_URL}/api/admin/projects/default${path}`, {
      method,
      headers: { authorization: stack.FICUS_UNLEASH_ADMIN_TOKEN, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (r) => { if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`); return r; });
  let client: Unleash | undefined;

  after(async () => {
    client?.destroy();
    await admin('DELETE', `/features/${flag}`).catch(() => undefined);
  });

  // How fast is measured by `./ficus bench flags` (through the proxy), not asserted: refresh 1 s plus
  // Unleash's revision tick of about 1 s leaves a 2 s bound no margin on a busy machine.
  it('sees the flip', async () => {
    await admin('POST', '/features', { name: flag, type: 'release' });
    await admin('POST', `/features/${flag}/environments/development/strategies`, { name: 'default', parameters: {} });
    client = await startUnleash({
      url: `${stack.FICUS_UNLEASH_URL}/api/`,
      appName: 'ficus-smoke',
      customHeaders: { Authorization: stack.FICUS_UNLEASH_CLIENT_TOKEN },
      refreshInterval: 1000,
      disableMetrics: true,
      storageProvider: undefined,
    });
    expect(client.isEnabled(flag)).to.equal(false);
    const flippedAt = Date.now();
    await admin('POST', `/features/${flag}/environments/development/on`);
    await waitFor(() => client!.isEnabled(flag), { timeoutMs: 15_000, intervalMs: 20, what: `${flag} enabled in the client` });
    console.log(`      flip seen after ${Date.now() - flippedAt} ms`);
  });
});
