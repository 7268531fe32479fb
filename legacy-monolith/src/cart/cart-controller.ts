import { Router } from 'express';
import type { CartService } from './cart-service.ts';
import { validate } from '../http/validate.ts';
import { requireUser } from '../http/session-user.ts';
import { productIdParams } from '../http/id-param.ts';
import { addCartItemBody, setCartQuantityBody } from '../contract/cart-contract.ts';

export const createCartController = (carts: CartService): Router => {
  const router = Router();

  router.get('/api/cart', async (_req, res) => {
    res.json(await carts.get(requireUser(res).id));
  });

  router.post('/api/cart/items', async (req, res) => {
    const user = requireUser(res);
    const { productId, quantity } = validate(addCartItemBody, req.body, 'body');
    res.json(await carts.add(user.id, productId, quantity));
  });

  router.put('/api/cart/items/:productId', async (req, res) => {
    const user = requireUser(res);
    const { productId } = validate(productIdParams, req.params, 'path');
    const { quantity } = validate(setCartQuantityBody, req.body, 'body');
    res.json(await carts.setQuantity(user.id, productId, quantity));
  });

  router.delete('/api/cart/items/:productId', async (req, res) => {
    const user = requireUser(res);
    res.json(await carts.remove(user.id, validate(productIdParams, req.params, 'path').productId));
  });

  return router;
};
