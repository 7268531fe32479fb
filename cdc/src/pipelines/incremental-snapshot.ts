import { randomUUID } from 'node:crypto';
import knexFactory from 'knex';
import { FicusError, type StackEnv } from '@ficus/common';
import type { CdcTopology } from './pipelines.ts';
import { cdcConnection, cdcRootLogin, type CdcLogin } from '../provision/cdc-login.ts';

/**
 * Asks a connector for an ad hoc incremental snapshot of some of its tables (Debezium's signal
 * table): used to backfill a new or recreated target while streaming goes on. Progress shows in
 * `ficus cdc status` (rows source → target). `login`: who inserts the signal row (the migration
 * worker passes its own user, granted INSERT on the signal table; the CLI root).
 */
export const requestIncrementalSnapshot = async (topology: CdcTopology, stack: StackEnv, connectorName: string, tables: string[], login: CdcLogin = cdcRootLogin(stack)): Promise<string> => {
  const c = topology.connectors.find((x) => x.name === connectorName);
  if (!c) throw new FicusError('CDC_UNKNOWN_CONNECTOR', `no connector ${connectorName}; known: ${topology.connectors.map((x) => x.name).join(', ')}`);
  const unknown = tables.filter((t) => !c.tables.includes(t));
  if (unknown.length) throw new FicusError('CDC_TABLE_NOT_CAPTURED', `connector ${c.name} does not capture ${unknown.join(', ')}; it captures ${c.tables.join(', ')}`);
  const id = randomUUID();
  const knex = knexFactory({ client: 'mysql2', connection: cdcConnection(stack, login, c.database) });
  try {
    await knex(c.signalTable).insert({ id, type: 'execute-snapshot', data: JSON.stringify({ 'data-collections': tables.map((t) => `${c.database}.${t}`), type: 'incremental' }) });
  } finally {
    await knex.destroy();
  }
  return id;
};
