import { Command, CommanderError } from 'commander';
import { isFicusError } from '@ficus/common';
import { commands } from './commands/index.ts';

const program = new Command('ficus')
  .description('Ficus: strangler-fig migration of a monolith to services')
  .showHelpAfterError()
  .exitOverride();
for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  if (isFicusError(e)) {
    console.error(`ficus: ${e.code}: ${e.message}`);
    process.exit(2);
  }
  console.error(`ficus: INTERNAL: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
