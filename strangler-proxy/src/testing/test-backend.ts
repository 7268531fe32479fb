import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
}

export interface TestBackend {
  name: string;
  origin: string;
  port: number;
  server: Server;
  seen: SeenRequest[];
  /** Replaces the handler (default: 200 JSON naming this backend and echoing the request). */
  handle(h: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): void;
  /** Handler that sees the request before its body is read (streaming tests). */
  handleRaw(h: (req: IncomingMessage, res: ServerResponse) => void): void;
  close(): Promise<void>;
}

/** A purpose-built backend on an ephemeral 127.0.0.1 port that records what reached it. */
export const startTestBackend = async (name: string): Promise<TestBackend> => {
  const seen: SeenRequest[] = [];
  let handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const json = JSON.stringify({ backend: name, method: req.method, url: req.url, bodyLength: body.length });
    res.writeHead(200, { 'content-type': 'application/json', 'x-backend': name });
    res.end(json);
  };
  let raw: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (raw) {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.alloc(0) });
      return raw(req, res);
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body });
      handler(req, res, body);
    });
  });
  server.keepAliveTimeout = 10_000;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => { sockets.add(s); s.once('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    name, port, server, seen,
    origin: `http://127.0.0.1:${port}`,
    handle: (h) => { handler = h; raw = undefined; },
    handleRaw: (h) => { raw = h; },
    // Upgraded (WebSocket) sockets are no longer the server's: destroy every socket it ever accepted.
    close: () => new Promise<void>((r) => { server.close(() => r()); for (const s of sockets) s.destroy(); }),
  };
};
