import type { IncomingHttpHeaders } from 'node:http';
import type { Upstreams } from '../engine-shared/upstreams.ts';

/** A shadow copy (or a second legacy call) as it is sent. */
export interface CopyRequest {
  method: string;
  /** Path and query exactly as the client sent them. */
  path: string;
  /** Flat `[name, value, …]` list, Host included and unchanged. */
  headers: readonly string[];
  body: Buffer | null;
  /** For the response head, and then between body chunks. */
  timeoutMs: number;
}

/** Where a copy's answer goes as it arrives (the shadow side's BodyCapture). */
export interface CopySink {
  head(status: number, headers: IncomingHttpHeaders): void;
  data(chunk: Buffer): void;
}

/**
 * Sends one copy to `target` (an origin) and streams its answer into `into`; resolves with the
 * status once the body has ended, rejects with an Error carrying a `code` when it failed
 * (`COPY_TIMEOUT` when the backend was too slow). Two implementations: undici (the node:http
 * engine's pools) and the socket engine's own keep-alive sockets (socket-engine/copy-client.ts).
 */
export type CopyTransport = (target: string, req: CopyRequest, into: CopySink) => Promise<number>;

/** Through the undici pool of the target (the node:http engine's forwarding pools). */
export const undiciCopyTransport = (upstreams: Upstreams): CopyTransport => async (target, req, into) => {
  try {
    const res = await upstreams.get(target).request({
      method: req.method as 'GET', path: req.path, headers: req.headers as string[], body: req.body,
      headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs,
    });
    into.head(res.statusCode, res.headers);
    // events, not `for await`: async iteration costs more CPU per copy than the comparison itself
    await new Promise<void>((resolve, reject) => {
      res.body.on('data', (chunk: Buffer) => into.data(chunk));
      res.body.once('end', resolve);
      res.body.once('error', reject);
    });
    return res.statusCode;
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT') throw Object.assign(new Error(err.message), { code: 'COPY_TIMEOUT' });
    throw err;
  }
};
