import { Router } from 'express';
import { requireUser, validate } from '@ficus/common';
import { toInternalOrder, type OrderService } from './order-service.ts';
import {
  createOrderBody, idParams, internalListQuery, keyParams, markCancelledBody, markFailedBody, markPaidBody, orderListQuery, orderRoutes,
} from '../api/orders-api.ts';

export const createOrderController = (orders: OrderService): Router => {
  const router = Router();

  // The monolith's user routes, same contract.
  router.get(orderRoutes.list, async (req, res) => {
    const user = requireUser(res);
    const { page, pageSize } = validate(orderListQuery, req.query, 'query');
    res.json(await orders.list(user, page, pageSize));
  });
  router.get(orderRoutes.view, async (req, res) => {
    const user = requireUser(res);
    res.json(await orders.view(user, validate(idParams, req.params, 'path').id));
  });

  // Internal routes for the order saga (createServiceApp guards /internal).
  router.get(orderRoutes.internalList, async (req, res) => {
    const q = validate(internalListQuery, req.query, 'query');
    res.json(await orders.listInternal({ userId: q.userId, status: q.status }, q.page, q.pageSize));
  });
  router.put(orderRoutes.internalOrder, async (req, res) => {
    const { key } = validate(keyParams, req.params, 'path');
    const { created, order } = await orders.create(key, validate(createOrderBody, req.body, 'body'));
    res.status(created ? 201 : 200).json(toInternalOrder(order));
  });
  router.get(orderRoutes.internalOrder, async (req, res) => {
    res.json(toInternalOrder(await orders.get(validate(keyParams, req.params, 'path').key)));
  });
  router.post(orderRoutes.markPaid, async (req, res) => {
    const { key } = validate(keyParams, req.params, 'path');
    res.json(toInternalOrder(await orders.markPaid(key, validate(markPaidBody, req.body, 'body').charge)));
  });
  router.post(orderRoutes.markFailed, async (req, res) => {
    const { key } = validate(keyParams, req.params, 'path');
    res.json(toInternalOrder(await orders.markFailed(key, validate(markFailedBody, req.body, 'body'))));
  });
  router.post(orderRoutes.markCancelled, async (req, res) => {
    const { key } = validate(keyParams, req.params, 'path');
    res.json(toInternalOrder(await orders.markCancelled(key, validate(markCancelledBody, req.body, 'body').refund)));
  });
  return router;
};
