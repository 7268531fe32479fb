import { FicusError } from '@ficus/common';
import type { CheckoutLine } from '@ficus/workflows/saga-client';

/**
 * The monolith still owns carts and profiles (decision 0006): checkout reads them through the
 * monolith's own user API, as the user, with the session cookie the proxy passes through.
 */
export interface LegacyCart {
  /** The session user, or undefined when the monolith does not know the session. */
  me(cookie: string): Promise<{ id: number; email: string; name: string } | undefined>;
  lines(cookie: string): Promise<CheckoutLine[]>;
  /** Removes the ordered lines (the monolith empties the cart in the checkout transaction). */
  removeLines(cookie: string, productIds: number[]): Promise<void>;
}

const unavailable = (why: string) => new FicusError('CART_UNAVAILABLE', `the cart could not be read: ${why}`, { status: 503, retriable: true });

export const createLegacyCartClient = (o: { baseUrl: string; timeoutMs: number }): LegacyCart => {
  const call = async (method: string, path: string, cookie: string) => {
    let res: Response;
    try {
      res = await fetch(o.baseUrl + path, { method, headers: { cookie, accept: 'application/json' }, signal: AbortSignal.timeout(o.timeoutMs) });
    } catch (e) {
      throw unavailable(e instanceof Error ? e.message : String(e));
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) as unknown : undefined };
  };
  return {
    async me(cookie) {
      const r = await call('GET', '/api/me', cookie);
      if (r.status === 401) return undefined;
      if (r.status !== 200) throw unavailable(`GET /api/me answered ${r.status}`);
      const u = r.body as { id: number; email: string; name: string };
      return { id: u.id, email: u.email, name: u.name };
    },
    async lines(cookie) {
      const r = await call('GET', '/api/cart', cookie);
      if (r.status !== 200) throw unavailable(`GET /api/cart answered ${r.status}`);
      return (r.body as { items: CheckoutLine[] }).items.map((i) => ({ productId: i.productId, sku: i.sku, name: i.name, unitPriceCents: i.unitPriceCents, quantity: i.quantity }));
    },
    async removeLines(cookie, productIds) {
      for (const id of productIds) {
        const r = await call('DELETE', `/api/cart/items/${id}`, cookie);
        // 404: the line is gone already (a duplicate submit, or the user removed it).
        if (r.status !== 200 && r.status !== 404) throw unavailable(`DELETE /api/cart/items/${id} answered ${r.status}`);
      }
    },
  };
};
