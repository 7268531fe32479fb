// A process tells the stack's VictoriaMetrics to scrape it: one JSON file per target in the folder
// the scrape config's file_sd_configs watch (re-read every second). Sync fs on purpose: it runs
// once at start and in an exit hook.
//
// Targets behind a bearer token go to a folder per token, `bearer/<sha-256 prefix>/`, with the
// token file and a scrape job of their own (`scrape.yml`, picked up through the stack config's
// `scrape_config_files` glob): two processes registering with different tokens (the demo's proxy
// and a test's) are each scraped with theirs.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FicusError } from '../errors/ficus-error.ts';
import { readStackEnv } from '../stack/stack-env.ts';

export interface ScrapeTarget {
  /** The `job` label: the component (`strangler-proxy`, `catalog-service`, `cdc`). */
  job: string;
  /** The `instance` label: this process (`127.0.0.1:8081`, `proxy-2`); unique within the job. */
  instance: string;
  /** Where its metrics are: `http://127.0.0.1:8081/metrics`. */
  url: string;
  /** More labels on every series of the target, e.g. `{ replica: '2' }`. */
  labels?: Record<string, string>;
  /** Sent as `Authorization: Bearer …` (the proxy admin API's /metrics); each token its own scrape job. */
  bearerToken?: string;
}

export interface ScrapeTargetOptions {
  /** Default: `FICUS_SCRAPE_TARGETS_DIR` (the stack's `.ficus/run/scrape-targets`). */
  dir?: string;
}

const invalid = (message: string) => new FicusError('SCRAPE_TARGET_INVALID', message);
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The file_sd entry for a target (one target, its labels). Pure; throws SCRAPE_TARGET_INVALID. */
export const scrapeTargetEntry = (t: ScrapeTarget): { targets: string[]; labels: Record<string, string> } => {
  if (!t.job?.trim()) throw invalid('a scrape target needs a job (the component\'s name)');
  if (!t.instance?.trim()) throw invalid(`scrape target of job ${t.job}: an instance (this process) is needed`);
  let url: URL;
  try {
    url = new URL(t.url);
  } catch {
    throw invalid(`scrape target ${t.job}/${t.instance}: url ${JSON.stringify(t.url)} is not a URL (expected e.g. http://127.0.0.1:3101/metrics)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`scrape target ${t.job}/${t.instance}: url must be http or https, not ${url.protocol}`);
  if (url.username || url.password) throw invalid(`scrape target ${t.job}/${t.instance}: no credentials in the url; pass bearerToken`);
  for (const name of Object.keys(t.labels ?? {})) {
    if (!labelName.test(name) || name.startsWith('__')) throw invalid(`scrape target ${t.job}/${t.instance}: label name ${JSON.stringify(name)} is not a Prometheus label name (letters, digits, _; not starting with __)`);
    if (name === 'job' || name === 'instance') throw invalid(`scrape target ${t.job}/${t.instance}: set ${name} with its own field, not in labels`);
  }
  if (t.bearerToken !== undefined && !/^[\x21-\x7e]+$/.test(t.bearerToken)) throw invalid(`scrape target ${t.job}/${t.instance}: bearerToken must be printable ASCII without spaces`);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const params = Object.fromEntries([...url.searchParams].map(([k, v]) => [`__param_${k}`, v]));
  return {
    targets: [`${url.hostname}:${port}`],
    labels: { ...t.labels, ...params, job: t.job, instance: t.instance, __scheme__: url.protocol.slice(0, -1), __metrics_path__: url.pathname },
  };
};

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/** A token's folder name: a prefix of its SHA-256 (the token itself is in no file name). */
export const bearerKey = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 16);

/**
 * The scrape job of one token's folder, as `scrape_config_files` reads it (JSON is YAML, and quotes
 * any path): its targets' own `job` labels replace the job name on their series.
 */
export const bearerScrapeJob = (dir: string, key: string): string => `${JSON.stringify([{
  job_name: `ficus-bearer-${key}`,
  bearer_token_file: join(dir, 'token'),
  file_sd_configs: [{ files: [join(dir, '*.json')] }],
}], null, 2)}\n`;

/** Written, then renamed into place: VictoriaMetrics never reads half a file. */
const writeAtomically = (file: string, text: string, mode = 0o644) => {
  const tmp = join(dirname(file), `.${process.pid}-${Date.now()}.tmp`);
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
};

const registered = new Map<string, string>();
let exitHookInstalled = false;
/** A process that ends normally takes its targets with it (a killed one's are swept by the next registration). */
const removeAllOnExit = () => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => { for (const [file, text] of registered) removeIfOurs(file, text); });
};

const removeIfOurs = (file: string, text: string) => {
  try {
    // a later registration of the same job and instance (a restarted process) is left alone
    if (readFileSync(file, 'utf8') === text) rmSync(file, { force: true });
  } catch { /* gone already */ }
};

/**
 * The label naming the process that registered a target. Labels starting with `__` are dropped
 * after relabeling, so it never reaches a series; it lets the next registration find targets whose
 * process was killed (SIGKILL runs no exit hook) and remove them.
 */
const ownerLabel = '__ficus_owner_pid';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process: alive
  }
};

const subfolders = (d: string): string[] => {
  try { return readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(d, e.name)); } catch { return []; }
};

interface TargetFile { file: string; name: string; entry: { targets?: string[]; labels?: Record<string, string> } | undefined }
/** Every target file in `dir`, its `bearer/` and the token folders there, read (unreadable ones, or those being replaced, skipped). */
function* targetFiles(dir: string): Generator<TargetFile> {
  for (const d of [dir, join(dir, 'bearer'), ...subfolders(join(dir, 'bearer'))]) {
    let names: string[];
    try { names = readdirSync(d).filter((n) => n.endsWith('.json')); } catch { continue; }
    for (const name of names) {
      let entry: TargetFile['entry'];
      try { [entry] = JSON.parse(readFileSync(join(d, name), 'utf8')) as Array<NonNullable<TargetFile['entry']>>; } catch { continue; }
      yield { file: join(d, name), name, entry };
    }
  }
}
/** Whether the process that registered the target is gone (a target that names none is not judged). */
const ownerGone = (t: TargetFile) => {
  const pid = Number(t.entry?.labels?.[ownerLabel]);
  return Number.isInteger(pid) && pid > 0 && !alive(pid);
};

/**
 * Removes the target files in `dir` (and its `bearer/` folders) whose registering process is gone;
 * files without an owner (written by hand or by an older version) are left alone. Returns the
 * removed files' names. A pid reused by a new process keeps its file until that process ends.
 * A token's folder stays (its job scrapes nothing): removing it could race a registration.
 */
export const sweepDeadScrapeTargets = (dir: string): string[] => {
  const removed: string[] = [];
  for (const t of targetFiles(dir)) {
    if (!ownerGone(t)) continue;
    try { rmSync(t.file, { force: true }); removed.push(t.name); } catch { /* not ours to remove: left */ }
  }
  return removed;
};

/** A registered target as the stack scrapes it. */
export interface LiveScrapeTarget { job: string; instance: string; url: string }

/**
 * The targets of `job` registered in `dir` (and its `bearer/` folders) whose process is alive (or
 * that name none): the running replicas of a component on this machine, e.g. the proxy's for
 * `ficus routes`. Sorted by instance; unreadable files are skipped.
 */
export const liveScrapeTargets = (dir: string, job: string): LiveScrapeTarget[] => {
  const found: LiveScrapeTarget[] = [];
  for (const t of targetFiles(dir)) {
    const l = t.entry?.labels;
    const address = t.entry?.targets?.[0];
    if (!l || l.job !== job || !address || ownerGone(t)) continue;
    found.push({ job, instance: l.instance ?? address, url: `${l.__scheme__ ?? 'http'}://${address}${l.__metrics_path__ ?? '/metrics'}` });
  }
  return found.sort((a, b) => a.instance.localeCompare(b.instance));
};

/**
 * Makes the stack's VictoriaMetrics scrape `url` with labels `job` and `instance` (within two
 * seconds); returns the function that stops it. Same job and instance again: replaced.
 *
 * @example
 * const unregister = registerScrapeTarget({ job: 'catalog-service', instance: '127.0.0.1:3101', url: 'http://127.0.0.1:3101/metrics' });
 */
export const registerScrapeTarget = (t: ScrapeTarget, o: ScrapeTargetOptions = {}): (() => void) => {
  const entry = scrapeTargetEntry(t);
  const root = o.dir ?? readStackEnv().FICUS_SCRAPE_TARGETS_DIR;
  const key = t.bearerToken === undefined ? undefined : bearerKey(t.bearerToken);
  const dir = key === undefined ? root : join(root, 'bearer', key);
  const file = join(dir, `${fileSafe(t.job)}--${fileSafe(t.instance)}.json`);
  const text = `${JSON.stringify([{ ...entry, labels: { ...entry.labels, [ownerLabel]: String(process.pid) } }], null, 2)}\n`;
  try {
    mkdirSync(dir, { recursive: true });
    sweepDeadScrapeTargets(root);
    if (key !== undefined) {
      // the token, then its job, then the target: the job never runs without its token
      writeAtomically(join(dir, 'token'), t.bearerToken!, 0o600);
      writeAtomically(join(dir, 'scrape.yml'), bearerScrapeJob(dir, key));
    }
    writeAtomically(file, text);
  } catch (e) {
    throw new FicusError('SCRAPE_TARGET_WRITE_FAILED', `could not write scrape target ${file}: ${(e as Error).message}`, { cause: e });
  }
  registered.set(file, text);
  removeAllOnExit();
  return () => {
    registered.delete(file);
    removeIfOurs(file, text);
  };
};
