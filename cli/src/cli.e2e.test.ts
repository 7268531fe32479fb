import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Runs the CLI as a user would; never throws, returns what they would see. */
const ficus = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
  execFile(process.execPath, ['--disable-warning=ExperimentalWarning', main, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
    resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
  });
});

describe('ficus CLI: bad input gets a stable code and a way out, never a stack trace', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown stack component', ['stack', 'up', 'kafkaa'], /STACK_UNKNOWN_COMPONENT: kafkaa: unknown component; expected one of mariadb, postgres/],
    ['logs of an unknown component', ['stack', 'logs', 'nope'], /STACK_UNKNOWN_COMPONENT: unknown component nope/],
    ['an unknown benchmark', ['bench', 'nope'], /BENCH_UNKNOWN: no benchmark nope; available: .*cdc/],
    ['an unknown CDC pipeline', ['cdc', 'dlq', 'no-such-pipeline'], /CDC_UNKNOWN_PIPELINE: no pipeline no-such-pipeline; known: ficus-catalog-forward/],
    ['a position that is not a GTID position', ['cdc', 'applied', 'yesterday'], /CDC_POSITION_INVALID: not a MariaDB GTID position: "yesterday"/],
    ['a position asked of an unknown pipeline', ['cdc', 'applied', '0-1-1', '--pipeline', 'payments'], /CDC_UNKNOWN_PIPELINE: no running pipeline "payments"; running: ficus-catalog-forward/],
    ['a wait that is not a number', ['cdc', 'applied', '0-1-1', '--wait', 'soon'], /CLI_INVALID_OPTION: --wait must be a whole number of milliseconds, got soon/],
    ['a snapshot of a table the connector does not capture', ['cdc', 'snapshot', 'ficus-legacy', 'users'], /CDC_TABLE_NOT_CAPTURED: connector ficus-legacy does not capture users/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: exit 2, one line with the code`, async () => {
      const r = await ficus(...args);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(message);
      expect(r.stderr).to.not.match(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
    });
  }

  it('cdc position prints the source position as a GTID position', async () => {
    const r = await ficus('cdc', 'position');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.match(/^\d+-\d+-\d+(,\d+-\d+-\d+)*$/);
  });

  it('cdc status --json shows the pipelines the directions table asks for, with their lag fields', async () => {
    const r = await ficus('cdc', 'status', '--json');
    expect(r.code, r.stderr).to.equal(0);
    const s = JSON.parse(r.stdout) as { cdcProcess: string; pipelines: Array<{ name: string; lastApplyLagMs: unknown; lagMs: unknown; consumerLag: unknown }> };
    expect(s.pipelines.map((p) => p.name)).to.include('ficus-catalog-forward');
    expect(s.cdcProcess).to.be.oneOf(['answering', 'not answering']);
    for (const p of s.pipelines) expect(p).to.have.keys('name', 'direction', 'consumerLag', 'lastAppliedAt', 'lastApplyLagMs', 'lagMs', 'deadLetters', 'tables');
  });

  it('an unknown command: usage help and a non-zero exit', async () => {
    const r = await ficus('frobnicate');
    expect(r.code).to.not.equal(0);
    expect(r.stderr).to.match(/unknown command 'frobnicate'/);
  });

  it('a bad configuration value names the variable and what was expected', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--disable-warning=ExperimentalWarning', main, 'cdc', 'status'], { env: { ...process.env, FICUS_MARIADB_PORT: 'not-a-port' } }, (err, _o, stderr) =>
        resolve({ code: err ? Number(err.code) : 0, stderr }));
    });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/CONFIG_INVALID/).and.match(/FICUS_MARIADB_PORT/);
  });
});
