import { Router } from 'express';
import type { OrderService } from './order-service.ts';
import { validate } from '../http/validate.ts';
import { requireUser } from '../http/session-user.ts';
import { idParams } from '../http/id-param.ts';
import { orderListQuery } from '../contract/order-contract.ts';

export const createOrderController = (orders: OrderService): Router => {
  const router = Router();

  router.post('/api/orders', async (_req, res) => {
    res.status(201).json(await orders.checkout(requireUser(res)));
  });

  router.get('/api/orders', async (req, res) => {
    const user = requireUser(res);
    const { page, pageSize } = validate(orderListQuery, req.query, 'query');
    res.json(await orders.list(user, page, pageSize));
  });

  router.get('/api/orders/:id', async (req, res) => {
    const user = requireUser(res);
    res.json(await orders.get(user, validate(idParams, req.params, 'path').id));
  });

  router.post('/api/orders/:id/cancel', async (req, res) => {
    const user = requireUser(res);
    res.json(await orders.cancel(user, validate(idParams, req.params, 'path').id));
  });

  return router;
};
