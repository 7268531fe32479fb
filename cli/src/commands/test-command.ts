import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { keepComponentUp, stackUp, stackEnvironment, repoRoot } from '@ficus/stack';

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> =>
  new Promise((resolve) => {
    spawn(cmd, args, { cwd: repoRoot, stdio: 'inherit', env }).on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

export const registerTest = (program: Command): void => {
  program.command('test').description('the whole test suite: brings the stack up, typechecks, lints, checks package boundaries and dependencies, runs every mocha test')
    .argument('[specs...]', 'only these spec files or globs')
    .option('--no-checks', 'skip typecheck and lint')
    .action(async (specs: string[], o: { checks: boolean }) => {
      await stackUp();
      const env = { ...process.env, ...stackEnvironment(), NODE_OPTIONS: '--disable-warning=ExperimentalWarning --disable-warning=TimeoutNegativeWarning' };
      const bin = (name: string) => `${repoRoot}/node_modules/.bin/${name}`;
      let failedChecks = 0;
      if (o.checks) {
        console.error('ficus test: typecheck (tsc)');
        if ((await run(bin('tsc'), ['-p', 'tsconfig.json'], env)) !== 0) failedChecks += 1;
        console.error('ficus test: lint (eslint)');
        if ((await run(bin('eslint'), ['.'], env)) !== 0) failedChecks += 1;
        // docs/decisions/0017-package-boundaries.md
        console.error('ficus test: package boundaries (dependency-cruiser)');
        if ((await run(process.execPath, ['scripts/check-boundaries.ts'], env)) !== 0) failedChecks += 1;
        console.error('ficus test: declared dependencies (knip)');
        if ((await run(bin('knip'), [], env)) !== 0) failedChecks += 1;
        // said before the tests, so that mocha's "N passed, M failed" stays the last line
        if (failedChecks) console.error(`ficus test: ${failedChecks} check(s) failed (typecheck/lint/boundaries/dependencies), see above; the run will fail`);
      }
      // Unleash (a third-party server) has died mid-suite before: start it again, loudly, rather than
      // fail every test after it; no test stops it on purpose (they simulate its outage)
      const stopWatching = keepComponentUp('unleash', { everyMs: 500, say: (m) => console.error(`ficus test: ${m}`) });
      const code = await run(bin('mocha'), [], specs.length ? { ...env, FICUS_SPECS: specs.join('\n') } : env);
      stopWatching();
      process.exitCode = code !== 0 || failedChecks ? 1 : 0;
    });
};
