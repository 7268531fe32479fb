import { createServiceClient, isFicusError } from '@ficus/common';
import type { StockPort } from './stock-reader-type.ts';
import type { StockLevelJson } from '@ficus/inventory-service/api';

/** Reads and sets stock through the inventory service's internal HTTP API. */
export const createHttpStockPort = (o: { baseUrl: string; authSecret: string; timeoutMs: number }): StockPort => {
  const call = createServiceClient({ service: 'inventory', ...o });
  return {
    async available(productId, requestId) {
      try {
        const { body } = await call<StockLevelJson>({ method: 'GET', path: `/internal/stock/${productId}`, requestId });
        return body.available;
      } catch (e) {
        // No stock row: the monolith shows 0 for a product without an inventory row.
        if (isFicusError(e) && e.code === 'PRODUCT_NOT_FOUND') return 0;
        throw e;
      }
    },
    async setInitial(productId, quantity, requestId) {
      await call({ method: 'PUT', path: `/internal/stock/${productId}`, body: { onHand: quantity }, requestId });
    },
  };
};
