import { Router } from 'express';
import { requireAdmin, validate } from '@ficus/common';
import type { InventoryService } from './inventory-service.ts';
import { toReservationJson } from './inventory-service.ts';
import {
  adjustBody, adjustmentsQuery, inventoryRoutes, keyParams, productIdParams, reserveBody, setStockBody, stockBatchQuery,
} from '../api/inventory-api.ts';

export const createInventoryController = (inventory: InventoryService): Router => {
  const router = Router();

  // The monolith's admin routes, same contract.
  router.get(inventoryRoutes.stock, async (req, res) => {
    requireAdmin(res);
    res.json(await inventory.stock(validate(productIdParams, req.params, 'path').productId));
  });
  router.get(inventoryRoutes.adjustments, async (req, res) => {
    requireAdmin(res);
    const { productId } = validate(productIdParams, req.params, 'path');
    const { limit } = validate(adjustmentsQuery, req.query, 'query');
    res.json({ items: await inventory.adjustments(productId, limit) });
  });
  router.post(inventoryRoutes.adjustments, async (req, res) => {
    const admin = requireAdmin(res);
    const { productId } = validate(productIdParams, req.params, 'path');
    const { delta, reason } = validate(adjustBody, req.body, 'body');
    res.status(201).json(await inventory.adjust(admin.userId, productId, delta, reason));
  });

  // Internal routes for services and the saga (createServiceApp guards /internal).
  router.get(inventoryRoutes.internalStockBatch, async (req, res) => {
    res.json({ items: await inventory.levels(validate(stockBatchQuery, req.query, 'query').productIds) });
  });
  router.get(inventoryRoutes.internalStock, async (req, res) => {
    res.json(await inventory.level(validate(productIdParams, req.params, 'path').productId));
  });
  router.put(inventoryRoutes.internalStock, async (req, res) => {
    const { productId } = validate(productIdParams, req.params, 'path');
    res.json(await inventory.setOnHand(productId, validate(setStockBody, req.body, 'body').onHand));
  });
  router.put(inventoryRoutes.reservation, async (req, res) => {
    const { key } = validate(keyParams, req.params, 'path');
    const { created, reservation } = await inventory.reserve(key, validate(reserveBody, req.body, 'body'));
    res.status(created ? 201 : 200).json(toReservationJson(reservation));
  });
  router.get(inventoryRoutes.reservation, async (req, res) => {
    res.json(toReservationJson(await inventory.reservation(validate(keyParams, req.params, 'path').key)));
  });
  router.post(inventoryRoutes.confirm, async (req, res) => {
    res.json(toReservationJson(await inventory.confirm(validate(keyParams, req.params, 'path').key)));
  });
  router.post(inventoryRoutes.release, async (req, res) => {
    res.json(toReservationJson(await inventory.release(validate(keyParams, req.params, 'path').key)));
  });
  router.post(inventoryRoutes.restock, async (req, res) => {
    res.json(toReservationJson(await inventory.restock(validate(keyParams, req.params, 'path').key)));
  });

  return router;
};
