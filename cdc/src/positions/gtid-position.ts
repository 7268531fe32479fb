import { FicusError } from '@ficus/common';
import { gtidVersion } from '../events/change-event.ts';

/**
 * A source position: a MariaDB GTID set as `@@gtid_binlog_pos` prints it (`0-1-500,9-1-30`), the
 * last transaction of each replication domain. "Position X is applied" means every transaction
 * committed at the source up to X is in the target.
 */
export type GtidPosition = ReadonlyMap<number, number>;

/** Parses `domain-server-seq[,…]`; an empty string is the empty position (nothing to wait for). */
export const parseGtidPosition = (text: string): GtidPosition => {
  const out = new Map<number, number>();
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const v = gtidVersion(part);
    if (!v) throw new FicusError('CDC_POSITION_INVALID', `not a MariaDB GTID position: ${JSON.stringify(text.slice(0, 200))} (expected domain-server-seq[,…], as @@gtid_binlog_pos prints it)`);
    out.set(v.domain, Math.max(v.seq, out.get(v.domain) ?? 0));
  }
  return out;
};

export const formatGtidPosition = (p: GtidPosition, server = 1): string => [...p].map(([d, s]) => `${d}-${server}-${s}`).join(',');

/** Every domain of `position` is at or past its sequence in `reached` (a connector's offset). */
export const covers = (reached: GtidPosition, position: GtidPosition): boolean =>
  [...position].every(([domain, seq]) => (reached.get(domain) ?? -1) >= seq);

/** What the position check knows of one Kafka partition a pipeline applies. */
export interface PartitionProgress {
  /** Next offset the target holds (stored with the data); undefined before the first apply. */
  nextOffset: bigint | undefined;
  /** The partition's end offset, read after the connector was seen past the position. */
  highWatermark: bigint;
  /** GTID of the last event the applier consumed from this partition (applied, stale or echo). */
  lastGtid: string | null;
}

/**
 * A partition holds every event up to `position` once the connector has read past it, and then
 * either it is drained to the end offset read after that, or it has already consumed an event
 * committed after the position: events are in commit order within a partition, and a sequence
 * beyond its domain's entry in the position was committed after every transaction in it. A position
 * is a consistent snapshot (what `@@gtid_binlog_pos` prints at one moment), not an arbitrary set.
 */
export const partitionThrough = (position: GtidPosition, p: PartitionProgress): boolean => {
  if ((p.nextOffset ?? 0n) >= p.highWatermark) return true;
  const last = gtidVersion(p.lastGtid);
  if (!last) return false;
  const at = position.get(last.domain);
  const seq = last.seq;
  // equal suffices only when the position has that one domain: with several, a transaction of
  // another domain in the position may have committed after this one
  return at !== undefined && (seq > at || (seq === at && position.size === 1));
};
