import { join } from 'node:path';
import type { Component, Health } from '../component-type.ts';
import { ensureUnleashServer } from '../install.ts';
import { logFile, pidFile } from '../paths.ts';
import { stackPorts, stackHost } from '../ports.ts';
import { spawnDaemon, pidFileControl } from '../process-utils.ts';

const name = 'unleash';
export const unleashUrl = `http://${stackHost}:${stackPorts.unleash}`;
/** Local-only secrets, created at the first start (Unleash accepts init tokens only on an empty token table). */
export const unleashTokens = {
  admin: '*:*.ficus-local-admin-token',
  client: 'default:development.ficus-local-client-token',
};

export const unleash: Component = {
  name,
  ports: [stackPorts.unleash],
  dependsOn: ['postgres'],
  url: `${unleashUrl} (UI; admin token in .ficus/stack.json)`,
  startTimeoutMs: 90_000,

  async install() {
    await ensureUnleashServer();
  },

  async start() {
    const dir = await ensureUnleashServer();
    return spawnDaemon({
      command: process.execPath,
      args: [join(dir, 'server.mjs')],
      cwd: dir,
      env: {
        ...process.env,
        SEND_TELEMETRY: 'false',
        UNLEASH_PORT: String(stackPorts.unleash),
        UNLEASH_DB_PORT: String(stackPorts.postgres),
        UNLEASH_ADMIN_TOKEN: unleashTokens.admin,
        UNLEASH_CLIENT_TOKEN: unleashTokens.client,
      },
      logFile: logFile(name),
      pidFile: pidFile(name),
    });
  },

  async health(): Promise<Health> {
    try {
      const h = await fetch(`${unleashUrl}/health`, { signal: AbortSignal.timeout(2000) });
      if (!h.ok) return { ok: false, detail: `/health answered ${h.status}` };
      const a = await fetch(`${unleashUrl}/api/admin/projects`, { headers: { authorization: unleashTokens.admin }, signal: AbortSignal.timeout(2000) });
      const c = await fetch(`${unleashUrl}/api/client/features`, { headers: { authorization: unleashTokens.client }, signal: AbortSignal.timeout(2000) });
      if (!a.ok || !c.ok) return { ok: false, detail: `tokens rejected (admin ${a.status}, client ${c.status}); reset with \`ficus stack down --reset unleash\`` };
      return { ok: true, detail: 'UI, admin and client API answer' };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  },

  ...pidFileControl(pidFile(name), { graceMs: 15_000 }),
};
