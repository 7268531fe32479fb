// A write switch in a process of its own, for the fault test that kills it with SIGKILL while it
// holds the writes (as a migration worker dies). Prints "HOLDING" once the hold is recorded, then
// blocks there until killed. Input: SWITCH_CHILD (JSON: databases, prefix, ownership and control
// database names, the switch request).
import { writeSync } from 'node:fs';
import knexFactory from 'knex';
import { mariadbRootConnection, openOwnershipStore, readStackEnv } from '@ficus/common';
import { cdcRootLogin, createCdcSyncControl, createSwitchPositions, openCdcControl, type Databases } from '@ficus/cdc';
import { switchOwnership, type SwitchRequest } from '../switch/switch-ownership.ts';
import { createQuiesceCheck } from '../switch/quiesce-check.ts';

const input = JSON.parse(process.env.SWITCH_CHILD ?? '{}') as { databases: Databases; prefix: string; ownershipDb: string; controlDb: string; request: SwitchRequest };
const stack = readStackEnv();
const control = await openCdcControl(stack, cdcRootLogin(stack), input.controlDb);
const ownership = await openOwnershipStore(stack, input.ownershipDb);
await switchOwnership({
  ownership,
  sync: createCdcSyncControl({ stack, databases: input.databases, prefix: input.prefix, control }),
  positions: createSwitchPositions({ stack, login: cdcRootLogin(stack), controlDatabase: input.controlDb, databases: input.databases, prefix: input.prefix, control }),
  outstanding: createQuiesceCheck(knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack), pool: { min: 0, max: 1 } }), input.databases),
  progress: (step) => {
    if (step !== 'hold') return;
    writeSync(1, 'HOLDING\n');
    // the worker "hangs" while holding: nothing after this runs until SIGKILL
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
}, input.request);
