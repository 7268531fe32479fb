import { z } from 'zod';

/** A Debezium change event as Kafka Connect's JSON converter writes it without schemas. */
export const changeEventSchema = z.object({
  op: z.enum(['c', 'u', 'd', 'r']),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  source: z.object({
    db: z.string(),
    table: z.string().nullable().optional(),
    file: z.string().optional(),
    pos: z.number().optional(),
    row: z.number().optional(),
    gtid: z.string().nullable().optional(),
    snapshot: z.union([z.string(), z.boolean()]).nullable().optional(),
    ts_ms: z.number(),
  }).passthrough(),
  ts_ms: z.number(),
}).passthrough();
export type ChangeEvent = z.infer<typeof changeEventSchema>;

/** Where a change comes from in the source's history: its MariaDB GTID (one per transaction). */
export interface SourceVersion {
  domain: number;
  seq: number;
}

/** `0-1-42` → {domain 0, seq 42}; snapshot reads carry no GTID. */
export const gtidVersion = (gtid: string | null | undefined): SourceVersion | undefined => {
  if (!gtid) return undefined;
  const m = /^(\d+)-(\d+)-(\d+)$/.exec(gtid);
  return m ? { domain: Number(m[1]), seq: Number(m[3]) } : undefined;
};
