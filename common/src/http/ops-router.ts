import { Router } from 'express';
import type { Knex } from 'knex';
import type { Registry } from 'prom-client';
import { FicusError } from '../errors/ficus-error.ts';

/**
 * `/health` (alive), `/ready` (the database answers; 503 NOT_READY otherwise) and `/metrics`
 * (Prometheus text format from `registry`).
 */
export const opsRouter = (knex: Knex, registry: Registry): Router => {
  const router = Router();
  router.get('/health', (_req, res) => { res.json({ status: 'ok' }); });
  router.get('/ready', async (_req, res) => {
    try {
      await knex.raw('select 1');
    } catch (e) {
      throw new FicusError('NOT_READY', `database unreachable: ${e instanceof Error ? e.message : String(e)}`, { status: 503, retriable: true });
    }
    res.json({ status: 'ready' });
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  });
  return router;
};
