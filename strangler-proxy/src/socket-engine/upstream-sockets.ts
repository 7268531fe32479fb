import { connect, type Socket } from 'node:net';

/** Whoever is using an upstream connection right now (one exchange at a time, no pipelining). */
export interface UpstreamOwner {
  onUpstreamData(chunk: Buffer): void;
  /** The connection closed or failed while owned; `error` is set when it failed. */
  onUpstreamClose(error: (Error & { code?: string }) | undefined): void;
}

/** One keep-alive TCP connection to a backend; its listeners stay for its whole life. */
export class UpstreamConn {
  readonly socket: Socket;
  owner: UpstreamOwner | undefined;
  /** It carried an exchange before (a reused connection may have been closed by the backend meanwhile). */
  reused = false;
  idleSince = 0;
  private error: (Error & { code?: string }) | undefined;
  private readonly pool: SocketPool;

  constructor(socket: Socket, pool: SocketPool) {
    this.socket = socket;
    this.pool = pool;
    socket.on('data', (chunk: Buffer) => {
      if (this.owner) this.owner.onUpstreamData(chunk);
      else socket.destroy(); // bytes nobody asked for: the connection's framing is lost
    });
    socket.on('error', (e: Error) => { this.error = e; });
    socket.on('close', () => {
      const owner = this.owner;
      this.owner = undefined;
      this.pool.closed(this);
      owner?.onUpstreamClose(this.error ?? Object.assign(new Error('backend closed the connection'), { code: 'UPSTREAM_CLOSED' }));
    });
  }
}

export interface SocketPoolOptions {
  /** Open connections (busy and idle) at most; more exchanges wait in order. */
  max: number;
  idleMs: number;
  connectTimeoutMs: number;
}

type Waiter = (error: Error | undefined, conn: UpstreamConn | undefined) => void;

/** Keep-alive connections to one backend origin, most recently used first (warm sockets, fewer wake-ups). */
export class SocketPool {
  private readonly idle: UpstreamConn[] = [];
  private readonly waiters: Waiter[] = [];
  private open = 0;
  private closing = false;
  private readonly host: string;
  private readonly port: number;
  private readonly sweeper: NodeJS.Timeout;
  private readonly o: SocketPoolOptions;

  constructor(origin: string, o: SocketPoolOptions) {
    this.o = o;
    const u = new URL(origin);
    this.host = u.hostname;
    this.port = Number(u.port || 80);
    this.sweeper = setInterval(() => this.sweep(), Math.max(250, Math.min(1_000, o.idleMs / 2))).unref();
  }

  acquire(cb: Waiter): void {
    const conn = this.idle.pop();
    if (conn) return cb(undefined, conn);
    if (this.open >= this.o.max) { this.waiters.push(cb); return; }
    this.connect(cb);
  }

  /** Back to the pool after a complete exchange on a connection the backend keeps open. */
  release(conn: UpstreamConn): void {
    conn.owner = undefined;
    conn.reused = true;
    if (this.closing || conn.socket.destroyed) { conn.socket.destroy(); return; }
    const next = this.waiters.shift();
    if (next) return next(undefined, conn);
    conn.idleSince = performance.now();
    this.idle.push(conn);
  }

  /** Called by the connection itself when its socket closed. */
  closed(conn: UpstreamConn): void {
    this.open--;
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    const next = this.waiters.shift();
    if (next) this.connect(next);
  }

  close(): void {
    this.closing = true;
    clearInterval(this.sweeper);
    for (const c of this.idle.splice(0)) c.socket.destroy();
    for (const w of this.waiters.splice(0)) w(Object.assign(new Error('proxy is closing'), { code: 'UPSTREAM_CLOSED' }), undefined);
  }

  private connect(cb: Waiter): void {
    if (this.closing) return cb(Object.assign(new Error('proxy is closing'), { code: 'UPSTREAM_CLOSED' }), undefined);
    this.open++;
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    let settled = false;
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error('connect timed out'), { code: 'UPSTREAM_CONNECT_TIMEOUT' })), this.o.connectTimeoutMs);
    const conn = new UpstreamConn(socket, this);
    socket.once('connect', () => {
      clearTimeout(timer);
      settled = true;
      cb(undefined, conn);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      if (!settled) {
        settled = true;
        cb(Object.assign(new Error('could not connect to the backend'), { code: 'UPSTREAM_CONNECT_FAILED' }), undefined);
      }
    });
  }

  private sweep(): void {
    const before = performance.now() - this.o.idleMs;
    // idle is ordered by release time: the oldest are first
    while (this.idle.length && this.idle[0]!.idleSince < before) this.idle.shift()!.socket.destroy();
  }
}

/** One pool per backend origin. */
export const createSocketPools = (o: SocketPoolOptions) => {
  const pools = new Map<string, SocketPool>();
  return {
    get(origin: string): SocketPool {
      let p = pools.get(origin);
      if (!p) pools.set(origin, (p = new SocketPool(origin, o)));
      return p;
    },
    close(): void {
      for (const p of pools.values()) p.close();
      pools.clear();
    },
  };
};
export type SocketPools = ReturnType<typeof createSocketPools>;
