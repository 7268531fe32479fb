/** MariaDB's duplicate-key error (1062), as mysql2 reports it. */
export const isDuplicateKey = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ER_DUP_ENTRY';

/** Deadlock (1213) or lock wait timeout (1205): the transaction may simply be tried again. */
export const isRetriableLockError = (e: unknown): boolean => {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
};

const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN']);
/** MariaDB did not answer (down, unreachable, full, shutting down): not a refusal (access denied, no such database or table), which trying again does not change. */
export const mariadbUnreachable = (e: unknown): boolean => {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { code?: unknown; name?: unknown; errors?: unknown[]; cause?: unknown };
  if (connectionCodes.has(String(err.code)) || err.name === 'KnexTimeoutError') return true;
  // Node's connect to several addresses fails with an AggregateError of each attempt's error
  return (Array.isArray(err.errors) && err.errors.some(mariadbUnreachable)) || (err.cause !== undefined && mariadbUnreachable(err.cause));
};
