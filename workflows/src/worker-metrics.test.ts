import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { freePort } from '@ficus/common/testing';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { workerMetricsAddress } from './worker-metrics.ts';

const run = promisify(execFile);

describe('the workers\' SDK metrics', () => {
  it('reads host:port or off, and refuses anything else with CONFIG_INVALID naming the variable', () => {
    expect(workerMetricsAddress({}, 'FICUS_SAGA_METRICS_ADDRESS', '127.0.0.1:9464')).to.equal('127.0.0.1:9464');
    expect(workerMetricsAddress({ FICUS_SAGA_METRICS_ADDRESS: '0.0.0.0:9999' }, 'FICUS_SAGA_METRICS_ADDRESS', '127.0.0.1:9464')).to.equal('0.0.0.0:9999');
    expect(workerMetricsAddress({ FICUS_SAGA_METRICS_ADDRESS: 'off' }, 'FICUS_SAGA_METRICS_ADDRESS', '127.0.0.1:9464')).to.equal(undefined);
    expect(() => workerMetricsAddress({ FICUS_SAGA_METRICS_ADDRESS: 'http://x:1' }, 'FICUS_SAGA_METRICS_ADDRESS', '127.0.0.1:9464'))
      .to.throw(/FICUS_SAGA_METRICS_ADDRESS/).with.property('code', 'CONFIG_INVALID');
  });

  it('serves Prometheus /metrics once installed (in a process of its own: the runtime is global)', async function () {
    this.timeout(30_000);
    const port = await freePort();
    const module = fileURLToPath(new URL('./worker-metrics.ts', import.meta.url));
    const script = `const m = await import(${JSON.stringify(module)}); m.installWorkerMetrics('127.0.0.1:${port}');
      for (let i = 0; i < 50; i++) { try { const r = await fetch('http://127.0.0.1:${port}/metrics'); console.log(r.status, r.headers.get('content-type')); process.exit(0); } catch { await new Promise((x) => setTimeout(x, 100)); } }
      process.exit(2);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 25_000 });
    expect(stdout.trim()).to.match(/^200 text\/plain/);
  });
});
