import { Router } from 'express';
import type { Knex } from 'knex';
import { appError } from '../errors.ts';

/** Liveness, readiness and the contract. */
export const createOpsController = (knex: Knex, openApi: unknown): Router => {
  const router = Router();
  router.get('/health', (_req, res) => { res.json({ status: 'ok' }); });
  router.get('/ready', async (_req, res) => {
    try {
      await knex.raw('select 1');
    } catch (e) {
      throw appError('NOT_READY', `database unreachable: ${e instanceof Error ? e.message : String(e)}`);
    }
    res.json({ status: 'ready' });
  });
  router.get('/openapi.json', (_req, res) => { res.json(openApi); });
  return router;
};
