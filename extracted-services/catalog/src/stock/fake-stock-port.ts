import { FicusError } from '@ficus/common';
import type { StockPort } from './stock-reader-type.ts';

/** In-memory stock for unit tests; `down = true` simulates an unreachable inventory service. */
export const createFakeStockPort = (): StockPort & { levels: Map<number, number>; down: boolean } => {
  const fake = {
    levels: new Map<number, number>(),
    down: false,
    async available(productId: number) {
      if (fake.down) throw new FicusError('INVENTORY_UNAVAILABLE', 'inventory service unavailable: test', { status: 503, retriable: true });
      return fake.levels.get(productId) ?? 0;
    },
    async setInitial(productId: number, quantity: number) {
      if (fake.down) throw new FicusError('INVENTORY_UNAVAILABLE', 'inventory service unavailable: test', { status: 503, retriable: true });
      fake.levels.set(productId, quantity);
    },
  };
  return fake;
};
