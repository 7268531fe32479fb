import { Pool } from 'undici';
import { CircuitBreaker, type BreakerOptions, type BreakerState } from './circuit-breaker.ts';

/** Keep-alive connection pools and circuit breakers, one of each per backend origin. */
export interface Upstreams {
  get(origin: string): Pool;
  breaker(origin: string): CircuitBreaker;
  breakerStates(): Record<string, BreakerState>;
  close(): Promise<void>;
}

export const createUpstreams = (o: {
  connectionsPerTarget: number;
  breaker: Omit<BreakerOptions, 'onStateChange'>;
  onBreakerChange?: (origin: string, state: BreakerState) => void;
}): Upstreams => {
  const pools = new Map<string, Pool>();
  const breakers = new Map<string, CircuitBreaker>();
  return {
    get(origin) {
      let p = pools.get(origin);
      if (!p) {
        p = new Pool(origin, {
          connections: o.connectionsPerTarget,
          pipelining: 1,
          keepAliveTimeout: 4_000,
          connect: { timeout: 2_000 },
        });
        pools.set(origin, p);
      }
      return p;
    },
    breaker(origin) {
      let b = breakers.get(origin);
      if (!b) {
        b = new CircuitBreaker({ ...o.breaker, onStateChange: (s) => o.onBreakerChange?.(origin, s) });
        breakers.set(origin, b);
        o.onBreakerChange?.(origin, 'closed');
      }
      return b;
    },
    breakerStates: () => Object.fromEntries([...breakers].map(([k, b]) => [k, b.state])),
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close().catch(() => p.destroy())));
      pools.clear();
    },
  };
};
