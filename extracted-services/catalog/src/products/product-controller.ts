import { Router } from 'express';
import { requireAdmin, validate } from '@ficus/common';
import type { ProductService } from './product-service.ts';
import { catalogRoutes, createCategoryBody, createProductBody, idParams, productListQuery, updateProductBody } from '../api/catalog-api.ts';

const rid = (h: string | string[] | undefined) => (typeof h === 'string' ? h : undefined);

export const createProductController = (catalog: ProductService): Router => {
  const router = Router();

  router.get(catalogRoutes.categories, async (_req, res) => {
    res.json({ items: await catalog.listCategories() });
  });

  router.post(catalogRoutes.categories, async (req, res) => {
    requireAdmin(res);
    res.status(201).json(await catalog.createCategory(validate(createCategoryBody, req.body, 'body')));
  });

  router.get(catalogRoutes.products, async (req, res) => {
    const q = validate(productListQuery, req.query, 'query');
    res.json(await catalog.listProducts({
      page: q.page, pageSize: q.pageSize, categoryId: q.categoryId, minPriceCents: q.minPrice, maxPriceCents: q.maxPrice, q: q.q, sort: q.sort,
    }));
  });

  router.get(catalogRoutes.product, async (req, res) => {
    res.json(await catalog.getProduct(validate(idParams, req.params, 'path').id, rid(req.headers['x-request-id'])));
  });

  router.post(catalogRoutes.products, async (req, res) => {
    requireAdmin(res);
    res.status(201).json(await catalog.createProduct(validate(createProductBody, req.body, 'body'), rid(req.headers['x-request-id'])));
  });

  router.patch(catalogRoutes.product, async (req, res) => {
    requireAdmin(res);
    const { id } = validate(idParams, req.params, 'path');
    res.json(await catalog.updateProduct(id, validate(updateProductBody, req.body, 'body'), rid(req.headers['x-request-id'])));
  });

  return router;
};
