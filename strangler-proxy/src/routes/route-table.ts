import type { Mode } from '../decision/mode.ts';

export type Side = 'legacy' | 'service';

/** One validated, compiled entry of the route table. */
export interface Route {
  /** Stable name used in metrics, logs and the admin API. */
  readonly id: string;
  /** Upper-case methods, or undefined for any method. */
  readonly methods: ReadonlySet<string> | undefined;
  readonly path: string;
  readonly pathRegExp: RegExp;
  readonly header: { readonly name: string; readonly value: string } | undefined;
  /** Origins (`http://host:port`), resolved from target names at start. */
  readonly legacyTarget: string;
  readonly serviceTarget: string;
  readonly legacyTargetName: string;
  readonly serviceTargetName: string;
  /** Unleash flag that sets this route's mode. */
  readonly flag: string;
  /** Where the route goes once flag state is stale. */
  readonly safe: Side;
  /** Whether an idempotent request that fails on the service is retried once on legacy. */
  readonly fallbackToLegacy: boolean;
  /** Time allowed for the backend's response headers (and between body chunks). */
  readonly timeoutMs: number;
  /** Whether shadow mode mirrors non-idempotent requests too (off: the service would write twice). */
  readonly mirrorWrites: boolean;
  /** Ownership unit whose tables the route writes: its writes go to the unit's owner, whatever the flag. */
  readonly unit: string | undefined;
}

export interface RouteTable {
  readonly routes: readonly Route[];
  /** Distinct flags in table order. */
  readonly flags: readonly string[];
  /** Distinct ownership units named by routes. */
  readonly units: readonly string[];
  readonly legacyTarget: string;
  /** Time allowed to the backend for requests no route matches (FICUS_PROXY_TIMEOUT_MS). */
  readonly timeoutMs: number;
}

/** The request facts the route decision needs; built once per request by the HTTP front. */
export interface RequestFacts {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly userId: string | undefined;
  readonly sessionId: string | undefined;
}

export type { Mode };
