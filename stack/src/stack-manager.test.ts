import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import { rmSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Component } from './component-type.ts';
import { upComponent } from './stack-manager.ts';
import { logFile, pidFile } from './paths.ts';
import { isAlive, readPid, spawnDaemon, stopPid } from './process-utils.ts';

/** A component whose process is a shell command; health is what the test says. */
const fakeComponent = (over: Partial<Component> & { script: string; healthy: () => boolean }): Component => {
  const name = `test-fake-${randomBytes(3).toString('hex')}`;
  return {
    name,
    ports: [],
    dependsOn: [],
    url: 'n/a',
    startTimeoutMs: 3000,
    install: async () => undefined,
    start: async () => spawnDaemon({ command: 'sh', args: ['-c', over.script], logFile: logFile(name), pidFile: pidFile(name) }),
    health: async () => ({ ok: over.healthy(), detail: over.healthy() ? 'fine' : 'not yet' }),
    pid: () => readPid(pidFile(name)),
    stop: async () => { const p = readPid(pidFile(name)); if (p) await stopPid(p, { graceMs: 2000 }); rmSync(pidFile(name), { force: true }); },
    ...over,
  };
};

const codeOf = async (p: Promise<unknown>): Promise<{ code: string; message: string }> => {
  try { await p; } catch (e) { return e as { code: string; message: string }; }
  throw new Error('expected a failure');
};

describe('stack manager', () => {
  const made: Component[] = [];
  afterEach(async () => {
    for (const c of made.splice(0)) { await c.stop(); rmSync(logFile(c.name), { force: true }); }
  });

  it('refuses a port another process holds, naming the port, and starts nothing', async () => {
    const server: Server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    const c = fakeComponent({ script: 'sleep 30', healthy: () => true, ports: [port] });
    made.push(c);
    const e = await codeOf(upComponent(c));
    server.close();
    expect(e.code).to.equal('PORT_IN_USE');
    expect(e.message).to.contain(`127.0.0.1:${port}`).and.contain('ficus stack down');
    expect(existsSync(pidFile(c.name))).to.equal(false);
  });

  it('reports a component that dies during start with the end of its log', async () => {
    const c = fakeComponent({ script: 'echo "fatal: bad config on line 3"; exit 3', healthy: () => false });
    made.push(c);
    const e = await codeOf(upComponent(c));
    expect(e.code).to.equal('COMPONENT_DIED');
    expect(e.message).to.contain('fatal: bad config on line 3').and.contain(logFile(c.name));
  });

  it('gives up after the start deadline instead of hanging, and says how to get out', async () => {
    const c = fakeComponent({ script: 'sleep 30', healthy: () => false, startTimeoutMs: 600 });
    made.push(c);
    const t0 = Date.now();
    const e = await codeOf(upComponent(c));
    expect(e.code).to.equal('COMPONENT_START_TIMEOUT');
    expect(e.message).to.contain('ficus stack down');
    expect(Date.now() - t0).to.be.below(5000);
  });

  it('is idempotent: a running healthy component is left alone', async () => {
    let starts = 0;
    const base = fakeComponent({ script: 'sleep 30', healthy: () => true });
    const c: Component = { ...base, start: async () => { starts += 1; return base.start(); } };
    made.push(c);
    await upComponent(c);
    const pid = c.pid();
    await upComponent(c);
    expect(starts).to.equal(1);
    expect(c.pid()).to.equal(pid);
    expect(isAlive(pid)).to.equal(true);
  });

  it('replaces a stale pid file left by a killed run', async () => {
    const c = fakeComponent({ script: 'sleep 30', healthy: () => true });
    made.push(c);
    await upComponent(c);
    const first = c.pid()!;
    await stopPid(first, { signal: 'SIGKILL' });
    await upComponent(c);
    expect(c.pid()).to.not.equal(first);
    expect(isAlive(c.pid())).to.equal(true);
  });
});
