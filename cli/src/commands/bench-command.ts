import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { FicusError } from '@ficus/common';
import { repoRoot, stackEnvironment, stackUp } from '@ficus/stack';

const benchDir = join(repoRoot, 'bench');
const available = () => readdirSync(benchDir).filter((f) => f.endsWith('-bench.ts')).map((f) => f.replace(/-bench\.ts$/, ''));

export const registerBench = (program: Command): void => {
  program.command('bench').description(`run a benchmark script (bench/<name>-bench.ts) against the local stack: ${available().join(', ')}`)
    .argument('<name>', 'which benchmark')
    .argument('[args...]', 'passed to the script')
    .allowUnknownOption()
    .action(async (name: string, args: string[]) => {
      const file = join(benchDir, `${name}-bench.ts`);
      if (!existsSync(file)) throw new FicusError('BENCH_UNKNOWN', `no benchmark ${name}; available: ${available().join(', ')}`);
      await stackUp();
      const code = await new Promise<number>((resolve) => {
        spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--disable-warning=TimeoutNegativeWarning', file, ...args], {
          cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...stackEnvironment(), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
        }).on('exit', (c) => resolve(c ?? 1));
      });
      process.exitCode = code;
    });
};
