/** One side of a table comparison (legacy table or service table), over its integer primary key. */
export interface ParitySide {
  /** Smallest and largest key and the row count, or null for an empty table. */
  bounds(): Promise<{ min: number; max: number; count: number } | null>;
  /** Row count and a 64-bit order-independent hash (hex) of the rows with lo ≤ key < hi. */
  chunk(lo: number, hi: number): Promise<{ count: number; hash: string }>;
  /** Each row's key and hash in lo ≤ key < hi. */
  rowHashes(lo: number, hi: number): Promise<Array<{ key: number; hash: string }>>;
  /** The normalised mapped columns of these rows (as compared), keyed by column name. */
  rows(keys: number[]): Promise<Map<number, Record<string, string | null>>>;
}
