import type { Knex } from 'knex';
import type { StackEnv } from '@ficus/common';
import { createPositionChecker } from '../positions/position-checker.ts';
import { defaultTopology, type CdcTopology, type Databases } from '../pipelines/pipelines.ts';
import { readDirections } from './directions-store.ts';
import type { CdcLogin } from '../provision/cdc-login.ts';

/**
 * "Has the sync applied position X?" for the write switch, against the topology the CDC process
 * runs now (read from the directions table before each question).
 */
export const createSwitchPositions = (o: { stack: StackEnv; login: CdcLogin; controlDatabase?: string; databases: Databases; prefix?: string; control: Knex; serverIdBase?: number }) => {
  let topology: CdcTopology = { connectors: [], pipelines: [] };
  const refresh = async () => { topology = defaultTopology(o.databases, o.prefix, (await readDirections(o.control)).directions, o.serverIdBase); };
  const checker = createPositionChecker({ stack: o.stack, login: o.login, control: o.controlDatabase, topology: () => topology });
  return {
    current: () => checker.current(),
    async applied(pipeline: string, position: string): Promise<boolean> {
      await refresh();
      return (await checker.applied(pipeline, position)).applied;
    },
    close: () => checker.close(),
  };
};
