import type { Command } from 'commander';
import { registerStack } from './stack-command.ts';
import { registerTest } from './test-command.ts';
import { registerSeed } from './seed-command.ts';
import { registerDemo } from './demo-command.ts';
import { registerCdc } from './cdc-command.ts';
import { registerBench } from './bench-command.ts';
import { registerFlags } from './flags-command.ts';
import { registerRoutes } from './routes-command.ts';
import { registerOrders } from './orders-command.ts';
import { registerShadow } from './shadow-command.ts';
import { registerMigrate } from './migrate-command.ts';
import { registerOwnership } from './ownership-command.ts';
import { registerCockpit } from './cockpit-command.ts';

/** Every `ficus` sub-command registers itself here; one file per command group. */
export const commands: Array<(program: Command) => void> = [registerStack, registerTest, registerDemo, registerCdc, registerBench, registerSeed, registerFlags, registerRoutes, registerShadow, registerOrders, registerMigrate, registerOwnership, registerCockpit];
