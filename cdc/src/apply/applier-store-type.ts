import type { SourceVersion } from '../events/change-event.ts';
import type { TableMapping } from './table-mapping-type.ts';
import type { BatchProgress, PlannedBatch } from './plan-batch.ts';

export interface PartitionRef {
  topic: string;
  partition: number;
}

/** What the applier needs from the target database (the port; knex-applier-store.ts is the adapter). */
export interface ApplierStore {
  versions(stream: string, keys: string[]): Promise<Map<string, SourceVersion>>;
  /** The next Kafka offset not yet applied, stored with the data (survives a kill -9 mid-batch). */
  nextOffset(stream: string, p: PartitionRef): Promise<bigint | undefined>;
  /** Writes the rows, versions, the next offset and where the partition stands at the source, in one transaction. */
  apply(stream: string, mapping: TableMapping, plan: PlannedBatch, p: PartitionRef, nextOffset: bigint, progress?: BatchProgress): Promise<void>;
}
