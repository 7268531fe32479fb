import type { Intent, IntentPatch, Operation } from './intent-types.ts';

export interface IntentStore {
  /** With `lock`, the row stays locked (FOR UPDATE) until the transaction ends. */
  find(key: string, lock?: boolean): Promise<Intent | undefined>;
  /** Throws the driver's duplicate-key error when the key exists. */
  insert(intent: Omit<Intent, 'operations'>): Promise<void>;
  update(key: string, patch: IntentPatch): Promise<void>;
  insertOperation(intentKey: string, op: Operation): Promise<void>;
}

export interface PaymentsUnitOfWork {
  run<T>(fn: (store: IntentStore) => Promise<T>): Promise<T>;
}
