import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@ficus/stack';
import { ensureDebianPackages } from '../stack/src/install.ts';

const run = promisify(execFile);

/** `docker compose` (v2 plugin) where present, else Debian's docker-compose (installed when missing). */
const composeCommand = async (): Promise<string[]> => {
  try { await run('docker', ['compose', 'version']); return ['docker', 'compose']; } catch { /* no plugin */ }
  await ensureDebianPackages('docker-compose', 'docker-compose', ['docker-compose']);
  return ['docker-compose'];
};

describe('docker-compose.yml', () => {
  const file = join(repoRoot, 'docker-compose.yml');
  let compose: string[];
  before(async () => { compose = await composeCommand(); });

  it('is valid for docker compose (config -q)', async () => {
    const [cmd, ...pre] = compose;
    await run(cmd!, [...pre, '-f', file, 'config', '-q']);
  });

  it('has the whole stack and the apps', async () => {
    const [cmd, ...pre] = compose;
    const { stdout } = await run(cmd!, [...pre, '-f', file, 'config', '--services']);
    const services = stdout.trim().split('\n');
    expect(services).to.include.members(['mariadb', 'postgres', 'kafka', 'connect', 'temporal', 'temporal-ui', 'unleash', 'legacy-monolith', 'catalog-service', 'inventory-service', 'payments-service', 'orders-service', 'saga-worker', 'cdc', 'strangler-proxy']);
  });

  it('publishes ports on 127.0.0.1 only', () => {
    const published = [...readFileSync(file, 'utf8').matchAll(/ports:\s*\[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim().replace(/"/g, '')));
    expect(published.length).to.be.greaterThan(5);
    for (const p of published) expect(p, p).to.match(/^127\.0\.0\.1:\d+:\d+$/);
  });
});
