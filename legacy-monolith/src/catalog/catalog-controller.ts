import { Router } from 'express';
import type { CatalogService } from './catalog-service.ts';
import { validate } from '../http/validate.ts';
import { requireAdmin } from '../http/session-user.ts';
import { idParams } from '../http/id-param.ts';
import { createCategoryBody, createProductBody, productListQuery, updateProductBody } from '../contract/catalog-contract.ts';

export const createCatalogController = (catalog: CatalogService): Router => {
  const router = Router();

  router.get('/api/categories', async (_req, res) => {
    res.json({ items: await catalog.listCategories() });
  });

  router.post('/api/categories', async (req, res) => {
    requireAdmin(res);
    res.status(201).json(await catalog.createCategory(validate(createCategoryBody, req.body, 'body')));
  });

  router.get('/api/products', async (req, res) => {
    const q = validate(productListQuery, req.query, 'query');
    res.json(await catalog.listProducts({
      page: q.page, pageSize: q.pageSize, categoryId: q.categoryId, minPriceCents: q.minPrice, maxPriceCents: q.maxPrice, q: q.q, sort: q.sort,
    }));
  });

  router.get('/api/products/:id', async (req, res) => {
    res.json(await catalog.getProduct(validate(idParams, req.params, 'path').id));
  });

  router.post('/api/products', async (req, res) => {
    requireAdmin(res);
    res.status(201).json(await catalog.createProduct(validate(createProductBody, req.body, 'body')));
  });

  router.patch('/api/products/:id', async (req, res) => {
    requireAdmin(res);
    const { id } = validate(idParams, req.params, 'path');
    res.json(await catalog.updateProduct(id, validate(updateProductBody, req.body, 'body')));
  });

  return router;
};
