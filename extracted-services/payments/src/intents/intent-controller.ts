import { Router } from 'express';
import { validate } from '@ficus/common';
import { toIntentJson, type IntentService } from './intent-service.ts';
import { authorizeBody, keyParams, paymentRoutes, refundBody, refundParams } from '../api/payments-api.ts';

export const createIntentController = (intents: IntentService): Router => {
  const router = Router();
  router.put(paymentRoutes.intent, async (req, res) => {
    const { key } = validate(keyParams, req.params, 'path');
    const { created, intent } = await intents.authorize(key, validate(authorizeBody, req.body, 'body'));
    res.status(created ? 201 : 200).json(toIntentJson(intent));
  });
  router.get(paymentRoutes.intent, async (req, res) => {
    res.json(toIntentJson(await intents.get(validate(keyParams, req.params, 'path').key)));
  });
  router.post(paymentRoutes.capture, async (req, res) => {
    res.json(toIntentJson(await intents.capture(validate(keyParams, req.params, 'path').key)));
  });
  router.post(paymentRoutes.void, async (req, res) => {
    res.json(toIntentJson(await intents.void(validate(keyParams, req.params, 'path').key)));
  });
  router.put(paymentRoutes.refund, async (req, res) => {
    const { key, refundKey } = validate(refundParams, req.params, 'path');
    const { amountCents } = validate(refundBody, req.body ?? {}, 'body');
    res.json(toIntentJson(await intents.refund(key, refundKey, amountCents)));
  });
  return router;
};
