import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { FicusError, requireUser, validate, type Logger, type UserClaims } from '@ficus/common';
import { checkoutKeySchema, checkoutRoutes, idempotencyKeyHeader, idParams, orderErrorCodes } from '../api/orders-api.ts';
import { toOrderDetail, type OrderService } from '../orders/order-service.ts';
import type { OrderStore } from '../orders/order-store-type.ts';
import { orderError } from '../orders-errors.ts';
import type { CheckoutSaga, PlacedOrder, SagaOutcome } from '@ficus/workflows/saga-client';
import type { LegacyCart } from './legacy-cart-client.ts';

export interface CheckoutDeps {
  saga: CheckoutSaga;
  cart: LegacyCart;
  /** How long checkout and cancel wait for their saga before answering 202 (decision 0006). */
  waitMs: number;
  /** How long the service keeps following a saga past the bound, to empty the cart once it succeeds. */
  followMs: number;
  log: Logger;
  newCheckoutKey?: () => string;
}

const statusUrlOf = (key: string) => checkoutRoutes.status.replace(':key', encodeURIComponent(key));

/**
 * Checkout, its status and cancel, run as Temporal sagas. Answers as the monolith does (201 order,
 * CART_EMPTY, ORDER_OUT_OF_STOCK, PAYMENT_DECLINED, 200 on cancel, ORDER_NOT_CANCELLABLE) when the
 * saga ends within `waitMs`; past it, 202 with a status URL while the saga goes on.
 */
export const createCheckoutController = (orders: OrderService, store: Pick<OrderStore, 'findById'>, d: CheckoutDeps): Router => {
  const router = Router();
  const newKey = d.newCheckoutKey ?? randomUUID;

  const failureOf = (o: Extract<SagaOutcome<unknown>, { state: 'failed' }>) => {
    const status = (orderErrorCodes as Record<string, number>)[o.code];
    // Anything but a known business failure is an outage the saga compensated: try again later.
    if (status === undefined || status >= 500) return orderError('CHECKOUT_FAILED', `checkout could not be completed and was undone: ${o.message}`);
    return new FicusError(o.code, o.message, { status, details: o.details });
  };

  const clearCart = async (cookie: string, productIds: number[]) => {
    try { await d.cart.removeLines(cookie, productIds); } catch (e) { d.log.warn({ err: e }, 'order placed, but the cart could not be emptied'); }
  };

  /** Answers a checkout's outcome; empties the cart (once it succeeded) with the caller's session. */
  const answerCheckout = async (res: Response, user: UserClaims, key: string, outcome: SagaOutcome<PlacedOrder>, cookie: string, productIds: number[] | undefined) => {
    if (outcome.state === 'completed') {
      // The cart is emptied before the answer (as the monolith's one transaction does), alongside the read.
      const [order] = await Promise.all([
        orders.get(outcome.result.orderKey),
        productIds ? clearCart(cookie, productIds) : undefined,
      ]);
      if (!productIds) await clearCart(cookie, order.items.map((i) => i.productId));
      res.status(201).json(toOrderDetail(order));
      return;
    }
    if (outcome.state === 'failed') throw failureOf(outcome);
    if (outcome.state === 'not-found') throw orderError('CHECKOUT_NOT_FOUND', `no checkout with key ${key}`, { checkoutKey: key });
    const statusUrl = statusUrlOf(key);
    res.status(202).location(statusUrl).set('retry-after', '1').json({ status: 'pending', checkoutKey: key, statusUrl });
    // Keep following the saga for a while so the cart is emptied as the monolith would.
    void d.saga.findCheckout(user.userId, key, d.followMs).then(async (later) => {
      if (later.state === 'completed') {
        const order = await orders.get(later.result.orderKey);
        await clearCart(cookie, productIds ?? order.items.map((i) => i.productId));
      }
    }).catch((e: unknown) => d.log.warn({ err: e, checkoutKey: key }, 'could not follow the checkout saga'));
  };

  router.post(checkoutRoutes.checkout, async (req, res) => {
    const user = requireUser(res);
    const cookie = req.headers.cookie ?? '';
    const given = req.get(idempotencyKeyHeader);
    const key = given === undefined ? newKey() : validate(z.object({ [idempotencyKeyHeader]: checkoutKeySchema }), { [idempotencyKeyHeader]: given }, 'header')[idempotencyKeyHeader];
    if (given !== undefined) {
      // A repeated submit joins the first one's saga, even after it emptied the cart.
      const existing = await d.saga.findCheckout(user.userId, key, d.waitMs);
      if (existing.state !== 'not-found') return answerCheckout(res, user, key, existing, cookie, undefined);
    }
    // Both reads at once; the session is judged first (a stranger's cart read fails too).
    const [me, cart] = await Promise.all([d.cart.me(cookie), d.cart.lines(cookie).then((l) => ({ l }), (e: unknown) => ({ e }))]);
    if (!me || me.id !== user.userId) throw new FicusError('AUTH_REQUIRED', 'log in first: this endpoint needs a session cookie', { status: 401 });
    if ('e' in cart) throw cart.e;
    const lines = cart.l;
    if (lines.length === 0) throw orderError('CART_EMPTY', 'the cart is empty');
    const outcome = await d.saga.placeOrder(key, { userId: user.userId, customer: { email: me.email, name: me.name }, items: lines }, d.waitMs, req.get('x-request-id'));
    return answerCheckout(res, user, key, outcome, cookie, lines.map((l) => l.productId));
  });

  router.get(checkoutRoutes.status, async (req, res) => {
    const user = requireUser(res);
    const key = validate(checkoutKeySchema, req.params.key, 'path');
    const outcome = await d.saga.findCheckout(user.userId, key, 0);
    if (outcome.state === 'completed') {
      const order = await orders.get(outcome.result.orderKey);
      await clearCart(req.headers.cookie ?? '', order.items.map((i) => i.productId));
      res.json(toOrderDetail(order));
      return;
    }
    return answerCheckout(res, user, key, outcome, req.headers.cookie ?? '', undefined);
  });

  router.post(checkoutRoutes.cancel, async (req, res) => {
    const user = requireUser(res);
    const { id } = validate(idParams, req.params, 'path');
    const view = await orders.view(user, id);
    const order = (await store.findById(view.id))!;
    if (order.status !== 'paid') {
      throw orderError('ORDER_NOT_CANCELLABLE', `order ${id} is ${order.status}`, { orderId: id, status: order.status });
    }
    if (order.key === null) {
      // Placed by the monolith before checkout moved: no reservation or payment intent to undo here.
      throw orderError('ORDER_NOT_CANCELLABLE', `order ${id} was placed before checkout moved to the services`, { orderId: id, status: order.status });
    }
    const outcome = await d.saga.cancelOrder({ orderKey: order.key, orderId: order.id, userId: order.userId }, d.waitMs, req.get('x-request-id'));
    if (outcome.state === 'completed') { res.json(toOrderDetail(await orders.get(order.key))); return; }
    if (outcome.state === 'failed') throw failureOf(outcome);
    // Past the bound: the order page shows the cancellation once the saga is done.
    const statusUrl = `/api/orders/${order.id}`;
    res.status(202).location(statusUrl).set('retry-after', '1').json({ status: 'pending', orderId: order.id, statusUrl });
  });

  return router;
};
