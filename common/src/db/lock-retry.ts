import pRetry from 'p-retry';
import { isRetriableLockError } from './mysql-errors.ts';

export interface LockRetryOptions {
  /** Runs in all, the first included (default 5). */
  attempts?: number;
  /** First pause; each next one doubles, with jitter, up to 500 ms (default 10 ms). */
  minDelayMs?: number;
}

/**
 * Runs `transaction` again when InnoDB chose it as a deadlock victim or a lock wait timed out: the
 * whole transaction was rolled back, so running it again is safe. Pauses with exponential backoff
 * and jitter, so two victims of the same deadlock do not meet again at once. Any other error, and
 * the last conflict, is thrown as it came.
 */
export const retryOnLockConflict = <T>(transaction: () => Promise<T>, o: LockRetryOptions = {}): Promise<T> =>
  pRetry(() => transaction(), {
    retries: Math.max(0, (o.attempts ?? 5) - 1), minTimeout: o.minDelayMs ?? 10, maxTimeout: 500, factor: 2, randomize: true,
    shouldRetry: ({ error }) => isRetriableLockError(error),
  });
