import type { Stores } from '../db/stores.ts';
import type { Cart, CartLine } from './cart-types.ts';
import { appError } from '../errors.ts';

/** The most units of one product a cart line may hold. */
export const maxLineQuantity = 999;

export const cartOf = (lines: CartLine[]): Cart => {
  const items = lines.map((l) => ({ ...l, lineTotalCents: l.unitPriceCents * l.quantity }));
  return {
    items,
    itemCount: items.reduce((n, l) => n + l.quantity, 0),
    totalCents: items.reduce((n, l) => n + l.lineTotalCents, 0),
  };
};

export const createCartService = ({ stores, clock }: { stores: Stores; clock: () => Date }) => {
  const view = async (userId: number) => cartOf(await stores.carts.list(userId));
  const notInCart = (productId: number) => appError('CART_ITEM_NOT_FOUND', `product ${productId} is not in the cart`, { productId });

  return {
    get: view,

    async add(userId: number, productId: number, quantity: number) {
      if (!(await stores.catalog.findProduct(productId))) throw appError('PRODUCT_NOT_FOUND', `no product with id ${productId}`, { productId });
      const existing = (await stores.carts.list(userId)).find((l) => l.productId === productId)?.quantity ?? 0;
      if (existing + quantity > maxLineQuantity) {
        throw appError('CART_QUANTITY_LIMIT', `a cart line may hold at most ${maxLineQuantity} units`, { productId, quantity: existing });
      }
      await stores.carts.add(userId, productId, quantity, clock());
      return view(userId);
    },

    async setQuantity(userId: number, productId: number, quantity: number) {
      if (!(await stores.carts.setQuantity(userId, productId, quantity, clock()))) throw notInCart(productId);
      return view(userId);
    },

    async remove(userId: number, productId: number) {
      if (!(await stores.carts.remove(userId, productId))) throw notInCart(productId);
      return view(userId);
    },
  };
};

export type CartService = ReturnType<typeof createCartService>;
