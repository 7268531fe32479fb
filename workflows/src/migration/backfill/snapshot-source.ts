import type { StackEnv } from '@ficus/common';
import { createConnectClient, defaultTopology, type CdcLogin, type CdcTopology, type Databases } from '@ficus/cdc';

/** The running CDC topology whose legacy connector captures a database, if one runs (snapshot backfill), and who signals it. */
export type SnapshotSource = (legacyDatabase: string) => Promise<{ topology: CdcTopology; stack: StackEnv; login: CdcLogin } | undefined>;

/**
 * Asks Kafka Connect whether the default topology's connector on that legacy database is RUNNING.
 * `login`: the worker's own user, granted INSERT on that database's signal table.
 */
export const createConnectSnapshotSource = (o: { stack: StackEnv; databases: Databases; login: CdcLogin }): SnapshotSource => async (legacyDatabase) => {
  const topology = defaultTopology({ ...o.databases, legacy: legacyDatabase });
  const connector = topology.connectors.find((c) => c.database === legacyDatabase);
  if (!connector) return undefined;
  const running = await createConnectClient(o.stack.FICUS_CONNECT_URL).status(connector.name).then((s) => s.connector.state === 'RUNNING', () => false);
  return running ? { topology, stack: o.stack, login: o.login } : undefined;
};
