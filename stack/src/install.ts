import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { basename, join } from 'node:path';
import { execFileP, which } from './process-utils.ts';
import { paths, repoRoot } from './paths.ts';
import { stackError } from './stack-error.ts';

const log = (msg: string) => process.stderr.write(`ficus stack: ${msg}\n`);

let aptUpdated = false;
/**
 * Installs Debian packages without starting their system-wide services: a policy-rc.d that denies
 * service starts is in place for the duration of the install (and removed after if we put it there).
 */
export const ensureDebianPackages = async (component: string, probe: string, packages: string[]): Promise<void> => {
  if (existsSync(probe) || (!probe.startsWith('/') && (await which(probe)))) return;
  if (!(await which('apt-get'))) throw stackError('DEPENDENCY_MISSING', component, `${probe} not found and apt-get is not available; install ${packages.join(' ')}`);
  if (process.getuid?.() !== 0) throw stackError('DEPENDENCY_MISSING', component, `${probe} not found; run as root or install: apt-get install ${packages.join(' ')}`);
  log(`${component}: installing ${packages.join(' ')} (Debian packages)`);
  const policy = '/usr/sbin/policy-rc.d';
  const ours = !existsSync(policy);
  if (ours) writeFileSync(policy, '#!/bin/sh\n# ficus: keep package installs from starting system services\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!aptUpdated) { await execFileP('apt-get', ['update', '-q'], { env, maxBuffer: 64 << 20 }); aptUpdated = true; }
    await execFileP('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { env, maxBuffer: 64 << 20 });
  } catch (e) {
    throw stackError('INSTALL_FAILED', component, `apt-get install ${packages.join(' ')} failed: ${(e as Error).message.split('\n').slice(-3).join(' ')}`);
  } finally {
    if (ours) rmSync(policy, { force: true });
  }
  if (!existsSync(probe) && !(await which(probe))) throw stackError('INSTALL_FAILED', component, `installed ${packages.join(' ')} but ${probe} is still missing`);
};

/** Java 17+ for Kafka, Kafka Connect and Zipkin. */
export const ensureJava = async (): Promise<void> => {
  if (await which('java')) {
    const { stderr } = await execFileP('java', ['-version']);
    const major = Number(/version "(\d+)/.exec(stderr)?.[1] ?? 0);
    if (major >= 17) return;
  }
  await ensureDebianPackages('java', '/usr/lib/jvm/java-17-openjdk-amd64/bin/java', ['openjdk-17-jre-headless']);
};

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);

/**
 * A folder of the machine cache filled once: `fill` writes into a partial folder that is renamed
 * into place only when it succeeded (a failed or interrupted fill leaves nothing that looks done).
 */
const cachedFolder = async (dir: string, fill: (tmp: string) => Promise<void>): Promise<string> => {
  if (existsSync(join(dir, '.complete'))) return dir;
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await fill(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  writeFileSync(join(tmp, '.complete'), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
};

/** Runs Maven (installed from Debian when missing); a failure is INSTALL_FAILED for `component`, saying `what` and Maven's last output. */
const mvn = async (component: string, what: string, args: string[], cwd?: string): Promise<void> => {
  if (!(await which('mvn'))) await ensureDebianPackages(component, 'mvn', ['maven']);
  try {
    await execFileP('mvn', ['-B', '-q', ...args], { ...(cwd ? { cwd } : {}), maxBuffer: 64 << 20 });
  } catch (e) {
    throw stackError('INSTALL_FAILED', component, `mvn could not ${what}: ${(e as { stdout?: string }).stdout?.slice(-500) ?? (e as Error).message}`);
  }
};

/**
 * Kafka, Kafka Connect and the Debezium plugin, resolved from Maven Central by stack/java/pom.xml
 * into a per-machine folder keyed by the pom's hash (so a version bump re-resolves).
 */
export const ensureJvmLibs = async (): Promise<string> => {
  const pom = join(repoRoot, 'stack', 'java', 'pom.xml');
  return cachedFolder(join(paths.machineCache, `jvm-libs-${sha(pom)}`), async (tmp) => {
    log('kafka: resolving Kafka, Kafka Connect and Debezium from Maven Central (once per machine)');
    await mvn('kafka', 'resolve stack/java/pom.xml', ['-f', pom, 'package', `-Dficus.lib=${tmp}`]);
  });
};

export const zipkinVersion = '3.6.1';
/**
 * sha512 of `io.zipkin:zipkin-server:3.6.1:jar:slim` as Maven Central publishes it
 * (`…-slim.jar.sha512`): Maven checks the sha1 while downloading (`-C`), this pins the file itself.
 */
const zipkinJarSha512 = '1b025e060ae47f9715a67e7dc35c237eda7347723ae2e89212758a08571d4cfc86061514c9a8fc3e02526b8ce12c5fc2d3340b944fd53470c02a1452417e1194';

const sha512Of = (file: string): Promise<string> => new Promise((resolveHash, reject) => {
  const h = createHash('sha512');
  createReadStream(file).on('error', reject).on('data', (b) => h.update(b)).on('end', () => resolveHash(h.digest('hex')));
});

/**
 * Zipkin's server with its Lens UI (the `slim` build: in-memory and Elasticsearch storage, HTTP
 * collector, 86 MB instead of the 135 MB `exec` jar), from Maven Central through Maven's own cache
 * like Kafka's jars, into the machine cache; the path of the jar.
 */
export const ensureZipkin = async (): Promise<string> => {
  const name = `zipkin-server-${zipkinVersion}-slim.jar`;
  const dir = await cachedFolder(join(paths.machineCache, `zipkin-server-${zipkinVersion}`), async (tmp) => {
    mkdirSync(tmp, { recursive: true });
    log(`zipkin: fetching zipkin-server ${zipkinVersion} (slim, 86 MB) from Maven Central (once per machine)`);
    const t0 = Date.now();
    // -C: a checksum mismatch fails the download instead of warning
    await mvn('zipkin', `fetch io.zipkin:zipkin-server:${zipkinVersion}:jar:slim`, ['-C', 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy',
      `-Dartifact=io.zipkin:zipkin-server:${zipkinVersion}:jar:slim`, `-DoutputDirectory=${tmp}`], tmp);
    const got = await sha512Of(join(tmp, name));
    if (got !== zipkinJarSha512) throw stackError('INSTALL_FAILED', 'zipkin', `${name} has sha512 ${got.slice(0, 16)}…, expected ${zipkinJarSha512.slice(0, 16)}… (Maven Central's); not used`);
    log(`zipkin: fetched in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  });
  return join(dir, name);
};

/**
 * A Go program built once per machine from the Go module proxy (`go install pkg@version`) into the
 * machine cache as `<name>-<version>`; the path of the binary.
 */
const ensureGoBinary = async (o: { component: string; pkg: string; version: string; why: string }): Promise<string> => {
  const name = basename(o.pkg);
  const bin = join(paths.machineCache, 'bin', `${name}-${o.version}`);
  if (existsSync(bin)) return bin;
  if (!(await which('go'))) throw stackError('DEPENDENCY_MISSING', o.component, `Go (>= 1.25) is needed to build ${o.why}; install Go and run it again`);
  const gobin = join(paths.machineCache, `gobin-${name}-${process.pid}`);
  mkdirSync(gobin, { recursive: true });
  log(`${o.component}: building ${o.why} ${o.version} with go install (once per machine)`);
  const t0 = Date.now();
  try {
    await execFileP('go', ['install', `${o.pkg}@${o.version}`], {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' }, maxBuffer: 64 << 20,
    });
  } catch (e) {
    rmSync(gobin, { recursive: true, force: true });
    throw stackError('INSTALL_FAILED', o.component, `go install ${o.pkg}@${o.version} failed: ${(e as { stderr?: string }).stderr?.slice(-800) ?? (e as Error).message}`);
  }
  mkdirSync(join(paths.machineCache, 'bin'), { recursive: true });
  copyFileSync(join(gobin, name), `${bin}.partial`);
  chmodSync(`${bin}.partial`, 0o755);
  renameSync(`${bin}.partial`, bin);
  rmSync(gobin, { recursive: true, force: true });
  log(`${o.component}: built ${o.why} ${o.version} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return bin;
};

/**
 * A Go program that `go install pkg@version` refuses (its module has replace directives), built
 * once per machine from a small tool module committed under stack/go/<dir> (go.mod with a `tool`
 * line, go.sum pinning every dependency), into the machine cache keyed by the go.sum's hash.
 */
const ensureGoToolModule = async (o: { component: string; dir: string; pkg: string; version: string; why: string }): Promise<string> => {
  const moduleDir = join(repoRoot, 'stack', 'go', o.dir);
  const bin = join(paths.machineCache, 'bin', `${basename(o.pkg)}-${o.version}-${sha(join(moduleDir, 'go.sum'))}`);
  if (existsSync(bin)) return bin;
  if (!(await which('go'))) throw stackError('DEPENDENCY_MISSING', o.component, `Go (>= 1.24) is needed to build ${o.why}; install Go and run it again`);
  mkdirSync(join(paths.machineCache, 'bin'), { recursive: true });
  log(`${o.component}: building ${o.why} ${o.version} from stack/go/${o.dir} with go build (once per machine, minutes on 2 cores)`);
  const t0 = Date.now();
  try {
    await execFileP('go', ['build', '-trimpath', '-o', `${bin}.partial`, o.pkg], {
      cwd: moduleDir,
      // the committed go.sum is the truth; the machine's own Go, never a downloaded toolchain
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly -buildvcs=false', GOTOOLCHAIN: 'local' },
      maxBuffer: 64 << 20,
    });
  } catch (e) {
    rmSync(`${bin}.partial`, { force: true });
    throw stackError('INSTALL_FAILED', o.component, `go build ${o.pkg} in stack/go/${o.dir} failed: ${(e as { stderr?: string }).stderr?.slice(-800) ?? (e as Error).message}`);
  }
  chmodSync(`${bin}.partial`, 0o755);
  renameSync(`${bin}.partial`, bin);
  log(`${o.component}: built ${o.why} ${o.version} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return bin;
};

export const temporalCliVersion = 'v1.5.1';
/** The Temporal CLI (dev server with UI), built once per machine from the Go module proxy (a few minutes). */
export const ensureTemporalCli = (): Promise<string> =>
  ensureGoBinary({ component: 'temporal', pkg: 'github.com/temporalio/cli/cmd/temporal', version: temporalCliVersion, why: 'the Temporal CLI' });

export const victoriaMetricsVersion = 'v1.151.0';
/** VictoriaMetrics single-node (storage, PromQL, scraping in one binary), from the Go module proxy. */
export const ensureVictoriaMetrics = (): Promise<string> =>
  ensureGoBinary({ component: 'victoria-metrics', pkg: 'github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics', version: victoriaMetricsVersion, why: 'VictoriaMetrics' });

export const jaegerVersion = 'v1.76.0';
/** Jaeger v2 (`cmd/jaeger`, built on the OpenTelemetry Collector), pinned by stack/go/jaeger/go.mod. */
export const ensureJaeger = (): Promise<string> =>
  ensureGoToolModule({ component: 'jaeger', dir: 'jaeger', pkg: 'github.com/jaegertracing/jaeger/cmd/jaeger', version: jaegerVersion, why: 'Jaeger' });

export const goHttpbinVersion = 'v2.26.0';
/**
 * go-httpbin, the well-known HTTP echo application (httpbin.org's API in Go), built once per machine
 * from the Go module proxy: the backend nobody on the project wrote, for the proxy's transparency tests.
 */
export const ensureGoHttpbin = (): Promise<string> =>
  ensureGoBinary({ component: 'go-httpbin', pkg: 'github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin', version: goHttpbinVersion, why: 'go-httpbin' });

export const redbotVersion = '2.7.1';
/**
 * REDbot ("lint for HTTP", from PyPI) in its own virtualenv under the machine cache: an established
 * HTTP conformance checker, run against the proxy next to the application it fronts.
 */
export const ensureRedbot = async (): Promise<string> => {
  const dir = join(paths.machineCache, `redbot-${redbotVersion}`);
  const bin = join(dir, 'bin', 'redbot');
  if (existsSync(join(dir, '.complete'))) return bin;
  if (!(await which('python3'))) throw stackError('DEPENDENCY_MISSING', 'redbot', 'python3 (with venv) is needed to install REDbot from PyPI');
  log(`redbot: installing REDbot ${redbotVersion} from PyPI into a virtualenv (once per machine)`);
  rmSync(dir, { recursive: true, force: true });
  try {
    await execFileP('python3', ['-m', 'venv', dir]);
    await execFileP(join(dir, 'bin', 'pip'), ['install', '-q', `redbot==${redbotVersion}`], { maxBuffer: 64 << 20 });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw stackError('INSTALL_FAILED', 'redbot', `pip install redbot==${redbotVersion} failed: ${(e as { stderr?: string }).stderr?.slice(-800) ?? (e as Error).message}`);
  }
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
  return bin;
};

export const ohaVersion = '1.16.0';
/**
 * oha, an open-loop HTTP load generator with latency correction (for benchmarks at a fixed rate),
 * built once per machine from crates.io with cargo.
 */
export const ensureOha = async (): Promise<string> => {
  const bin = join(paths.machineCache, 'bin', `oha-${ohaVersion}`);
  if (existsSync(bin)) return bin;
  if (!(await which('cargo'))) throw stackError('DEPENDENCY_MISSING', 'oha', 'cargo (Rust) is needed to build oha from crates.io; install Rust or run the benchmark with --generator hey');
  const root = join(paths.machineCache, `oha-${process.pid}`);
  log(`oha: building oha ${ohaVersion} with cargo install (once per machine, about 6 minutes on 2 cores)`);
  try {
    await execFileP('cargo', ['install', 'oha', '--locked', '--version', ohaVersion, '--root', root], { maxBuffer: 64 << 20 });
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw stackError('INSTALL_FAILED', 'oha', `cargo install oha@${ohaVersion} failed: ${(e as { stderr?: string }).stderr?.slice(-800) ?? (e as Error).message}`);
  }
  mkdirSync(join(paths.machineCache, 'bin'), { recursive: true });
  copyFileSync(join(root, 'bin', 'oha'), `${bin}.partial`);
  chmodSync(`${bin}.partial`, 0o755);
  renameSync(`${bin}.partial`, bin);
  rmSync(root, { recursive: true, force: true });
  return bin;
};

/** unleash-server from npm, installed in stack/unleash (apart from the app workspaces). */
export const ensureUnleashServer = async (): Promise<string> => {
  const dir = join(repoRoot, 'stack', 'unleash');
  const lock = join(dir, 'package-lock.json');
  const stamp = join(dir, 'node_modules', '.ficus-lock-stamp');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === readFileSync(lock, 'utf8')) return dir;
  log('unleash: installing unleash-server from npm (npm ci in stack/unleash)');
  try {
    await execFileP('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 64 << 20 });
  } catch (e) {
    throw stackError('INSTALL_FAILED', 'unleash', `npm ci in stack/unleash failed: ${(e as { stderr?: string }).stderr?.slice(-800) ?? (e as Error).message}`);
  }
  writeFileSync(stamp, readFileSync(lock, 'utf8'));
  return dir;
};

/** Debian's Chromium, for the cockpit's browser tests (Playwright drives it; no downloaded browser). */
export const chromiumPath = '/usr/bin/chromium';
export const ensureChromium = async (): Promise<string> => {
  await ensureDebianPackages('chromium', chromiumPath, ['chromium']);
  return chromiumPath;
};
