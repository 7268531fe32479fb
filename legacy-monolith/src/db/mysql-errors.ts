/** MariaDB's duplicate-key error (1062), as mysql2 reports it. */
export const isDuplicateKey = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ER_DUP_ENTRY';

/** InnoDB chose this transaction as a deadlock victim (1213); running it again is safe. */
export const isDeadlock = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ER_LOCK_DEADLOCK';
