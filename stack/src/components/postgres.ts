import { chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, Health } from '../component-type.ts';
import { ensureDebianPackages } from '../install.ts';
import { paths, logFile, pidFile } from '../paths.ts';
import { stackPorts, stackHost } from '../ports.ts';
import { execFileP, spawnDaemon, pidFileControl } from '../process-utils.ts';
import { stackError } from '../stack-error.ts';

const name = 'postgres';
const dataDir = join(paths.data, 'postgres');
const socketDir = join(paths.run, 'postgres');
const initMarker = join(dataDir, '.ficus-initialized');

/** Debian installs the server binaries under /usr/lib/postgresql/<major>/bin; take the newest. */
const pgBin = (tool: string): string => {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const m of majors) if (existsSync(join(root, m, 'bin', tool))) return join(root, m, 'bin', tool);
  return join(root, '15', 'bin', tool);
};

/** PostgreSQL refuses to run as root: it runs as the `postgres` system user the package creates. */
const asPostgres = (cmd: string, args: string[]) => execFileP('runuser', ['-u', 'postgres', '--', cmd, ...args], { maxBuffer: 16 << 20 });

const uid = async (user: string) => {
  const { stdout } = await execFileP('id', ['-u', user]);
  const { stdout: g } = await execFileP('id', ['-g', user]);
  return { uid: Number(stdout.trim()), gid: Number(g.trim()) };
};

export const postgres: Component = {
  name,
  ports: [stackPorts.postgres],
  dependsOn: [],
  url: `postgres://postgres@${stackHost}:${stackPorts.postgres}`,
  startTimeoutMs: 60_000,

  async install() {
    await ensureDebianPackages(name, pgBin('initdb'), ['postgresql']);
  },

  async start() {
    const owner = await uid('postgres');
    for (const d of [paths.data, paths.run, paths.logs]) mkdirSync(d, { recursive: true });
    if (existsSync(dataDir) && !existsSync(initMarker)) {
      process.stderr.write(`ficus stack: postgres: ${dataDir} was left half-initialised by an earlier run; initialising it again\n`);
      rmSync(dataDir, { recursive: true, force: true });
    }
    mkdirSync(socketDir, { recursive: true });
    chownSync(socketDir, owner.uid, owner.gid);
    if (!existsSync(dataDir)) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      chownSync(dataDir, owner.uid, owner.gid);
      try {
        await asPostgres(pgBin('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
      } catch (e) {
        throw stackError('COMPONENT_INIT_FAILED', name, `initdb failed: ${(e as Error).message.slice(0, 400)}`);
      }
    }
    const log = logFile(name);
    writeFileSync(log, '', { flag: 'a' });
    chownSync(log, owner.uid, owner.gid);
    // postgres itself (not pg_ctl) in the foreground of a detached child: the pid we record is the server's
    return spawnDaemon({
      command: pgBin('postgres'),
      args: ['-D', dataDir, '-p', String(stackPorts.postgres), '-c', `listen_addresses=${stackHost}`, '-c', `unix_socket_directories=${socketDir}`],
      logFile: log,
      pidFile: pidFile(name),
      runAsUser: 'postgres',
    });
  },

  async afterStart() {
    if (existsSync(initMarker)) return;
    try {
      const psql = ['-h', stackHost, '-p', String(stackPorts.postgres), '-U', 'postgres', '-tAc'];
      const { stdout } = await execFileP('psql', [...psql, "SELECT 1 FROM pg_database WHERE datname='unleash'"]);
      if (stdout.trim() !== '1') await execFileP('psql', [...psql, 'CREATE DATABASE unleash']);
    } catch (e) {
      throw stackError('COMPONENT_INIT_FAILED', name, `could not create the unleash database: ${(e as Error).message.slice(0, 300)}`, logFile(name));
    }
    writeFileSync(initMarker, new Date().toISOString());
  },

  async health(): Promise<Health> {
    try {
      const { stdout } = await execFileP('psql', ['-h', stackHost, '-p', String(stackPorts.postgres), '-U', 'postgres', '-d', 'unleash', '-tAc', 'select 1'], { timeout: 3000 });
      return { ok: stdout.trim() === '1', detail: 'database unleash answers' };
    } catch (e) {
      return { ok: false, detail: (e as Error).message.split('\n')[0] ?? 'no answer' };
    }
  },

  ...pidFileControl(pidFile(name), { signal: 'SIGINT', graceMs: 30_000 }),
};
