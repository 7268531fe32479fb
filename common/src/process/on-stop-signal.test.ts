import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const helper = fileURLToPath(new URL('./on-stop-signal.ts', import.meta.url));

describe('onStopSignal', () => {
  it('stops once on the first of SIGINT and SIGTERM (Ctrl-C, then the demo runner)', async function () {
    this.timeout(20_000);
    // a child that counts its stops and exits 1 s after the first
    const script = `import { onStopSignal } from ${JSON.stringify(helper)};
let n = 0;
onStopSignal((s) => { n++; console.log('stop ' + s + ' ' + n); setTimeout(() => process.exit(0), 1000); });
console.log('ready');
setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready') && !out.includes('stop')) {
        out += ' ';
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGTERM'), 100);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).to.equal(0);
    expect(out.match(/stop /g)).to.have.length(1);
    expect(out).to.include('stop SIGINT 1');
  });
});
