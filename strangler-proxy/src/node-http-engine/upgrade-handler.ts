import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { Logger } from '@ficus/common/core';
import type { Decision } from '../decision/decide.ts';
import type { ProxyMetrics } from '../metrics/proxy-metrics.ts';

export interface UpgradeHandler {
  handle(req: IncomingMessage, socket: Duplex, head: Buffer, decision: Decision, requestId: string): void;
}

const targetOf = Symbol('ficus.upgradeTarget');
type UpgradeRequest = IncomingMessage & { [targetOf]?: string };

/**
 * WebSocket upgrades go through http-proxy-middleware (httpxy): rare, long-lived connections where
 * its per-request cost does not matter and its tested socket plumbing does. The route decision is
 * the same pure function as for HTTP; a canary/service route upgrades on the service, others on
 * legacy. No fallback or mirroring for upgrades.
 */
export const createUpgradeHandler = (o: { log: Logger; metrics: ProxyMetrics; trustForwarded: boolean }): UpgradeHandler => {
  const proxy = createProxyMiddleware<IncomingMessage>({
    router: (req) => (req as UpgradeRequest)[targetOf]!,
    ws: false, // we call .upgrade ourselves from the front's 'upgrade' event
    xfwd: true,
    changeOrigin: false,
    logger: { info: () => {}, warn: (m: unknown) => o.log.warn({ msg: String(m) }, 'upgrade proxy'), error: (m: unknown) => o.log.warn({ msg: String(m) }, 'upgrade proxy') },
    ejectPlugins: true,
    on: {
      error: (err, _req, socketOrRes) => {
        o.log.warn({ err: err.message }, 'websocket upgrade failed');
        (socketOrRes as Socket).destroy();
      },
    },
  });
  return {
    handle(req, socket, head, decision, requestId) {
      (req as UpgradeRequest)[targetOf] = decision.primaryTarget;
      if (!o.trustForwarded) {
        delete req.headers['x-forwarded-for'];
        delete req.headers['x-forwarded-proto'];
        delete req.headers['x-forwarded-host'];
      }
      req.headers['x-request-id'] = requestId;
      o.metrics.upgrade(decision.routeId, decision.primary);
      socket.on('error', () => socket.destroy());
      proxy.upgrade(req, socket as Socket, head);
    },
  };
};
