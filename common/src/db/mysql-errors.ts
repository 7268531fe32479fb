/** MariaDB's duplicate-key error (1062), as mysql2 reports it. */
export const isDuplicateKey = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ER_DUP_ENTRY';

/** Deadlock (1213) or lock wait timeout (1205): the transaction may simply be tried again. */
export const isRetriableLockError = (e: unknown): boolean => {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
};
