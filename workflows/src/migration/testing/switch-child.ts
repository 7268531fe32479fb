// A write switch in a process of its own, for the fault test that kills it with SIGKILL while it
// holds the writes (as a migration worker dies). Prints "HOLDING" once the hold is recorded, then
// blocks there until killed. Input: SWITCH_CHILD (JSON: databases, prefix, ownership and control
// database names, the migration worker user it runs as, the switch request).
import { writeSync } from 'node:fs';
import knexFactory from 'knex';
import { readStackEnv } from '@ficus/common';
import { createCdcSyncControl, createSwitchPositions, openCdcControl, type Databases } from '@ficus/cdc';
import { switchOwnership, type SwitchRequest } from '../switch/switch-ownership.ts';
import { createQuiesceCheck } from '../switch/quiesce-check.ts';
import { openMigratorOwnership } from '../create-migration-worker.ts';
import { migratorConnection, type MigratorLogin } from '../provision/migrator-login.ts';

const input = JSON.parse(process.env.SWITCH_CHILD ?? '{}') as { databases: Databases; prefix: string; ownershipDb: string; controlDb: string; login: MigratorLogin; request: SwitchRequest };
const stack = readStackEnv();
const control = await openCdcControl(stack, input.login, input.controlDb);
const ownership = await openMigratorOwnership({ stack, login: input.login }, input.ownershipDb);
await switchOwnership({
  ownership,
  sync: createCdcSyncControl({ stack, databases: input.databases, prefix: input.prefix, control, login: input.login }),
  positions: createSwitchPositions({ stack, login: input.login, controlDatabase: input.controlDb, databases: input.databases, prefix: input.prefix, control }),
  outstanding: createQuiesceCheck(knexFactory({ client: 'mysql2', connection: migratorConnection(stack, input.login), pool: { min: 0, max: 1 } }), input.databases),
  progress: (step) => {
    if (step !== 'hold') return;
    writeSync(1, 'HOLDING\n');
    // the worker "hangs" while holding: nothing after this runs until SIGKILL
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
}, input.request);
