import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from '@ficus/common/core';
import type { OwnershipStore } from '@ficus/common/ownership';
import type { WriteGate } from './write-gate.ts';

export interface OwnershipFollowerOptions {
  store: OwnershipStore;
  gate: WriteGate;
  log: Logger;
  /** How often ownership is read (a switch's hold and flip are followed within this). */
  pollMs: number;
  proxyId?: string;
}

/**
 * Keeps the write gate in step with the ownership store and tells the store what this proxy follows
 * (versions seen, writes in flight per unit): the switch waits for every live proxy to report the
 * hold with nothing in flight before it reads the owner's position. Reports every poll while a unit
 * is held, else once a second.
 */
export const followOwnership = (o: OwnershipFollowerOptions) => {
  const proxyId = o.proxyId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let stopped = false;
  let lastReport = 0;
  let lastSeen = '';
  let failing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const tick = async () => {
    try {
      o.gate.update(await o.store.all());
      if (failing) o.log.info('ownership store answers again');
      failing = false;
      const seen = o.gate.seen();
      const seenKey = JSON.stringify(seen);
      const now = Date.now();
      if (o.gate.holding().length > 0 || seenKey !== lastSeen || now - lastReport >= 1000) {
        await o.store.report({ proxyId, seen, inflight: o.gate.inflight(), heartbeatAt: now });
        lastReport = now;
        lastSeen = seenKey;
      }
    } catch (e) {
      if (!failing) o.log.warn({ err: (e as Error).message }, 'cannot read write ownership: writes of ownership units wait, then get 503');
      failing = true;
    }
  };
  let reporting = false;
  o.gate.onDrained(() => {
    if (reporting || stopped) return;
    reporting = true;
    o.store.report({ proxyId, seen: o.gate.seen(), inflight: o.gate.inflight(), heartbeatAt: Date.now() })
      .catch(() => undefined).finally(() => { reporting = false; });
  });
  const loop = async () => {
    if (stopped) return;
    await tick();
    if (!stopped) { timer = setTimeout(() => { void loop(); }, o.pollMs); timer.unref?.(); }
  };

  return {
    proxyId,
    /** Reads ownership once (start waits for it), then keeps following. */
    async start() { await tick(); timer = setTimeout(() => { void loop(); }, o.pollMs); timer.unref?.(); },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      o.gate.close();
      await o.store.forgetProxy(proxyId).catch(() => undefined);
      await o.store.knex.destroy();
    },
  };
};
