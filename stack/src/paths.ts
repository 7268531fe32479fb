import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Everything the local stack writes lives in the git-ignored `.ficus/` folder of the checkout. */
export const repoRoot = resolve(import.meta.dirname, '../..');
export const ficusDir = join(repoRoot, '.ficus');
export const paths = {
  data: join(ficusDir, 'data'),
  logs: join(ficusDir, 'logs'),
  run: join(ficusDir, 'run'),
  lib: join(ficusDir, 'lib'),
  bin: join(ficusDir, 'bin'),
  config: join(ficusDir, 'config'),
  stackConfig: join(repoRoot, 'stack', 'config'),
  /** Per-machine cache shared by every checkout (builds that take minutes happen once). */
  machineCache: join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ficus'),
} as const;

export const logFile = (name: string) => join(paths.logs, `${name}.log`);
export const pidFile = (name: string) => join(paths.run, `${name}.pid`);
