import { spawn, execFile } from 'node:child_process';
import { openSync, closeSync, mkdirSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

export const execFileP = promisify(execFile);

export interface DaemonSpec {
  command: string;
  args: string[];
  logFile: string;
  pidFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this system user (PostgreSQL refuses root). */
  runAsUser?: string;
}

/** Starts a detached process whose output goes to its log file; records its pid. */
export const spawnDaemon = (spec: DaemonSpec): number => {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  mkdirSync(dirname(spec.pidFile), { recursive: true });
  const out = openSync(spec.logFile, 'a');
  const [cmd, args] = spec.runAsUser
    ? // setpriv execs in place (no forking wrapper), so the recorded pid is the server itself
      ['setpriv', [`--reuid=${spec.runAsUser}`, `--regid=${spec.runAsUser}`, '--init-groups', spec.command, ...spec.args]]
    : [spec.command, spec.args];
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out], env: spec.env ?? process.env, cwd: spec.cwd });
  closeSync(out);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${spec.command}`);
  writeFileSync(spec.pidFile, `${child.pid}\n`);
  return child.pid;
};

export const readPid = (file: string): number | undefined => {
  if (!existsSync(file)) return undefined;
  const n = Number.parseInt(readFileSync(file, 'utf8').trim().split('\n')[0] ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

export const isAlive = (pid: number | undefined): boolean => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie (exited, not yet reaped) is not alive for our purposes
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

/** Sends `signal` to the process and waits for it to exit; SIGKILL after the grace period. */
export const stopPid = async (pid: number, { signal = 'SIGTERM' as NodeJS.Signals, graceMs = 20_000 } = {}): Promise<void> => {
  if (!isAlive(pid)) return;
  try { process.kill(pid, signal); } catch { return; }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
  }
};

export const removeFile = (file: string) => rmSync(file, { force: true });

/** True when something accepts TCP connections on host:port. */
export const portOpen = (port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createConnection({ port, host });
    const done = (v: boolean) => { s.destroy(); resolve(v); };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });

/** Which process listens on a TCP port (best effort, for error messages). */
export const portOwner = async (port: number): Promise<string> => {
  try {
    const { stdout } = await execFileP('ss', ['-Hltnp', `sport = :${port}`]);
    const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(stdout);
    return m ? `${m[1]} (pid ${m[2]})` : 'another process';
  } catch {
    return 'another process';
  }
};

export const which = async (cmd: string): Promise<string | undefined> => {
  try {
    const { stdout } = await execFileP('bash', ['-c', `command -v ${cmd}`]);
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
};

/** Last lines of a log file, for error messages. */
export const tail = (file: string, lines = 15): string => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

/**
 * `pid()` and `stop()` of a component whose process `up` recorded in a pid file: stop sends
 * `signal` (then SIGKILL after the grace period) and forgets the pid.
 */
export const pidFileControl = (pidPath: string, { signal = 'SIGTERM' as NodeJS.Signals, graceMs = 20_000 } = {}) => ({
  pid: () => readPid(pidPath),
  async stop() {
    const pid = readPid(pidPath);
    if (pid) await stopPid(pid, { signal, graceMs });
    rmSync(pidPath, { force: true });
  },
});
