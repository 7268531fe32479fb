import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, Health } from '../component-type.ts';
import { ensureVictoriaMetrics } from '../install.ts';
import { paths, logFile, pidFile } from '../paths.ts';
import { stackPorts, stackHost } from '../ports.ts';
import { spawnDaemon, pidFileControl } from '../process-utils.ts';

const name = 'victoria-metrics';
export const metricsUrl = `http://${stackHost}:${stackPorts.victoriaMetrics}`;
/**
 * Where processes announce themselves (`registerScrapeTarget` in @ficus/common writes one JSON file
 * per target). Files right here are scraped plainly. A target behind a bearer token (the proxy admin
 * API's /metrics) is in `bearer/<key>/`, one folder per token, with the token and a scrape job of
 * its own (`scrape.yml`), which the config below takes in through `scrape_config_files`.
 */
export const scrapeTargetsDir = join(paths.run, 'scrape-targets');
const scrapeConfigFile = join(paths.config, 'victoria-metrics-scrape.yml');
/** 1 s: a gate's `rate(…[10s])` has ten points per replica; the cost is in docs/components/stack.md. */
export const scrapeIntervalSeconds = 1;

/** Prometheus scrape config over the target files; VictoriaMetrics re-reads the files every second. */
const scrapeConfig = () => `# written by ficus stack up (stack/src/components/victoria-metrics.ts); edits are overwritten
global:
  scrape_interval: ${scrapeIntervalSeconds}s
  scrape_timeout: ${scrapeIntervalSeconds}s
scrape_configs:
  - job_name: ficus
    file_sd_configs:
      - files: ['${join(scrapeTargetsDir, '*.json')}']
# one job per bearer token (re-read with the config, every 2 s)
scrape_config_files: ['${join(scrapeTargetsDir, 'bearer', '*', 'scrape.yml')}']
`;

/** (Re)written at every `up`: a running VictoriaMetrics re-reads it within 2 s, so a checkout's new layout needs no restart. */
const writeScrapeConfig = () => {
  mkdirSync(join(scrapeTargetsDir, 'bearer'), { recursive: true });
  mkdirSync(paths.config, { recursive: true });
  writeFileSync(scrapeConfigFile, scrapeConfig());
};

export const victoriaMetrics: Component = {
  name,
  ports: [stackPorts.victoriaMetrics],
  dependsOn: [],
  url: `${metricsUrl} (PromQL /api/v1/query, UI /vmui; targets in .ficus/run/scrape-targets)`,
  startTimeoutMs: 60_000,

  async install() {
    await ensureVictoriaMetrics();
    writeScrapeConfig();
  },

  async start() {
    const bin = await ensureVictoriaMetrics();
    const data = join(paths.data, name);
    mkdirSync(data, { recursive: true });
    writeScrapeConfig();
    return spawnDaemon({
      command: bin,
      args: [
        `-httpListenAddr=${stackHost}:${stackPorts.victoriaMetrics}`,
        `-storageDataPath=${data}`,
        // a local stack keeps a day: enough for a demo session, small on disk
        '-retentionPeriod=1d',
        // caches sized from this, not from the machine's 24 GiB
        '-memory.allowedBytes=256MiB',
        `-promscrape.config=${scrapeConfigFile}`,
        '-promscrape.configCheckInterval=2s',
        '-promscrape.fileSDCheckInterval=1s',
        // a gate asks about the last seconds: without these, samples younger than 30 s are hidden
        // and results of recent ranges are cached
        '-search.latencyOffset=0s',
        '-search.disableCache',
        '-loggerLevel=WARN',
      ],
      env: { ...process.env, GOMAXPROCS: '2' },
      logFile: logFile(name),
      pidFile: pidFile(name),
    });
  },

  async health(): Promise<Health> {
    try {
      const h = await fetch(`${metricsUrl}/health`, { signal: AbortSignal.timeout(2000) });
      if (!h.ok) return { ok: false, detail: `/health answered ${h.status}` };
      const q = await fetch(`${metricsUrl}/api/v1/query?query=1`, { signal: AbortSignal.timeout(2000) });
      return q.ok ? { ok: true, detail: 'PromQL answers' } : { ok: false, detail: `/api/v1/query answered ${q.status}` };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  },

  ...pidFileControl(pidFile(name), { graceMs: 15_000 }),
};
