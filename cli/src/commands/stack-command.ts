import { FicusError } from '@ficus/common';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { createTable } from '../output/table.ts';
import { stackUp, stackDown, stackStatus, componentNames, logFile } from '@ficus/stack';


export const registerStack = (program: Command): void => {
  const stack = program.command('stack').description(`the local stack on 127.0.0.1 (${componentNames.join(', ')})`);

  stack.command('up').description('install what is missing and start every component (idempotent)')
    .argument('[components...]', 'only these (and what they need)')
    .action(async (only: string[]) => {
      const t0 = Date.now();
      await stackUp(only);
      console.error(`ficus stack: up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });

  stack.command('down').description('stop exactly what `up` started, by pid')
    .argument('[components...]', 'only these')
    .option('--reset', 'also delete their data (a fresh start)')
    .action(async (only: string[], o: { reset?: boolean }) => { await stackDown(only, { reset: o.reset }); });

  stack.command('status').description('every component, its port and its health')
    .option('--json', 'machine-readable')
    .action(async (o: { json?: boolean }) => {
      const s = await stackStatus();
      if (o.json) { console.log(JSON.stringify({ healthy: s.every((c) => c.healthy), components: s }, null, 2)); }
      else {
        const t = createTable({ head: ['component', 'state', 'pid', 'ports', 'detail'] });
        for (const c of s) t.push([c.name, c.healthy ? 'healthy' : c.running ? 'UNHEALTHY' : 'stopped', c.pid ?? '', c.ports.join(','), c.detail.slice(0, 70)]);
        console.log(t.toString());
      }
      if (!s.every((c) => c.healthy)) process.exitCode = 3;
    });

  stack.command('logs').description("a component's log (tail -f with --follow)")
    .argument('<component>', componentNames.join(' | '))
    .option('-f, --follow', 'keep printing')
    .option('-n, --lines <n>', 'how many lines', '100')
    .action(async (name: string, o: { follow?: boolean; lines: string }) => {
      if (!componentNames.includes(name)) throw new FicusError('STACK_UNKNOWN_COMPONENT', `unknown component ${name}; expected one of ${componentNames.join(', ')}`);
      const f = logFile(name);
      if (!existsSync(f)) { console.error(`no log yet at ${f}`); return; }
      await new Promise<void>((resolve) => spawn('tail', ['-n', o.lines, ...(o.follow ? ['-F'] : []), f], { stdio: 'inherit' }).on('exit', () => resolve()));
    });
};
