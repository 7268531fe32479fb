import { Router } from 'express';
import type { InventoryService } from './inventory-service.ts';
import { validate } from '../http/validate.ts';
import { requireAdmin } from '../http/session-user.ts';
import { productIdParams } from '../http/id-param.ts';
import { adjustBody, adjustmentsQuery } from '../contract/inventory-contract.ts';

export const createInventoryController = (inventory: InventoryService): Router => {
  const router = Router();

  router.get('/api/inventory/:productId', async (req, res) => {
    requireAdmin(res);
    res.json(await inventory.stock(validate(productIdParams, req.params, 'path').productId));
  });

  router.get('/api/inventory/:productId/adjustments', async (req, res) => {
    requireAdmin(res);
    const { productId } = validate(productIdParams, req.params, 'path');
    const { limit } = validate(adjustmentsQuery, req.query, 'query');
    res.json({ items: await inventory.adjustments(productId, limit) });
  });

  router.post('/api/inventory/:productId/adjustments', async (req, res) => {
    const admin = requireAdmin(res);
    const { productId } = validate(productIdParams, req.params, 'path');
    const { delta, reason } = validate(adjustBody, req.body, 'body');
    res.status(201).json(await inventory.adjust(admin.id, productId, delta, reason));
  });

  return router;
};
