import type { IntentStore, PaymentsUnitOfWork } from './intent-store-type.ts';
import type { Intent } from './intent-types.ts';

/** In-memory intents for unit tests; a transaction is a snapshot restored on failure. */
export const createFakeIntentStore = () => {
  let intents = new Map<string, Intent>();
  const store: IntentStore & PaymentsUnitOfWork & { intents: () => Map<string, Intent> } = {
    intents: () => intents,
    find: async (key) => structuredClone(intents.get(key)),
    async insert(i) {
      if (intents.has(i.key)) throw Object.assign(new Error('duplicate'), { code: 'ER_DUP_ENTRY' });
      intents.set(i.key, { ...structuredClone(i), operations: [] });
    },
    async update(key, patch) {
      const i = intents.get(key);
      if (i) Object.assign(i, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    },
    async insertOperation(key, op) {
      const all = [...intents.values()].flatMap((i) => i.operations);
      if (all.some((o) => o.key === op.key)) throw Object.assign(new Error('duplicate'), { code: 'ER_DUP_ENTRY' });
      intents.get(key)!.operations.push(structuredClone(op));
    },
    async run(fn) {
      const snap = structuredClone(intents);
      try { return await fn(store); } catch (e) { intents = snap; throw e; }
    },
  };
  return store;
};
