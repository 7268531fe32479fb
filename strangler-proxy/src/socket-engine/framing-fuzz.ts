// Differential fuzzing of the socket engine's request framing against Node's own parser (llhttp,
// with the options the node-http engine gives it). Every generated request must be handed off by
// the socket engine, refused (4xx) or left incomplete by both, or read by both to the same method,
// target, header lines and body. Used by framing-fuzz.test.ts (a bounded run in CI) and
// scripts/fuzz-framing.ts (long runs).
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import fc from 'fast-check';
import { frameRequest, type Framed } from './request-framing.ts';

/** What Node's parser made of a request. */
export type NodeReading =
  | { kind: 'request'; method: string; url: string; rawHeaders: string[]; body: Buffer }
  | { kind: 'refused'; status: number }
  | { kind: 'incomplete' };

/** Node's parser as the node-http engine runs it (same limits and strictness), on 127.0.0.1. */
export const startNodeParser = async () => {
  // The first request Node read on each connection (by the client's port), with its body so far:
  // bytes after it (a pipelined second request, junk) do not change what the first one was.
  const seen = new Map<number, { req: IncomingMessage; chunks: Buffer[] }>();
  const server = createServer({ maxHeaderSize: 16 * 1024, requireHostHeader: true, insecureHTTPParser: false, shouldUpgradeCallback: () => false },
    (req: IncomingMessage, res) => {
      const entry = { req, chunks: [] as Buffer[] };
      if (!seen.has(req.socket.remotePort!)) seen.set(req.socket.remotePort!, entry);
      req.on('data', (c: Buffer) => entry.chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, { connection: 'close', 'content-length': '0' });
        res.end();
      });
    });
  server.on('checkContinue', (req: IncomingMessage, res) => server.emit('request', req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  /** Sends the bytes, half-closes, and reads what Node made of them. */
  const read = (bytes: Buffer): Promise<NodeReading> => new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const answer: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 2_000);
    socket.on('data', (c: Buffer) => answer.push(c));
    socket.on('error', () => socket.destroy());
    let local: number | undefined;
    socket.on('close', () => {
      clearTimeout(timer);
      const first = local === undefined ? undefined : seen.get(local);
      if (local !== undefined) seen.delete(local);
      if (first?.req.complete) {
        const { req } = first;
        return resolve({ kind: 'request', method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, body: Buffer.concat(first.chunks) });
      }
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(Buffer.concat(answer).toString('latin1'));
      resolve(status && status[1]!.startsWith('4') ? { kind: 'refused', status: Number(status[1]) } : { kind: 'incomplete' });
    });
    socket.on('connect', () => { local = socket.localPort; socket.end(bytes); });
  });
  return { read, close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }) };
};

export type Verdict = { agree: true; how: 'handed off' | 'both refused or incomplete' | 'same request' } | { agree: false; why: string };

const pairs = (flat: readonly string[]) => Array.from({ length: flat.length / 2 }, (_, i) => `${flat[2 * i]}: ${flat[2 * i + 1]}`);

/** Compares the socket engine's framing with Node's reading of the same bytes. */
export const compare = (socket: Framed, node: NodeReading): Verdict => {
  if (socket.kind === 'handoff') return { agree: true, how: 'handed off' };
  if (socket.kind === 'incomplete') {
    return node.kind === 'request' ? { agree: false, why: `the socket engine waits for more bytes; Node read ${node.method} ${node.url}` } : { agree: true, how: 'both refused or incomplete' };
  }
  if (node.kind !== 'request') return { agree: false, why: `the socket engine read ${socket.head.method} ${socket.head.url}; Node ${node.kind === 'refused' ? `refused it (${node.status})` : 'waited for more'}` };
  const mine = { method: socket.head.method, url: socket.head.url, headers: pairs(socket.head.raw()), body: (socket.body ?? Buffer.alloc(0)).toString('latin1') };
  const theirs = { method: node.method, url: node.url, headers: pairs(node.rawHeaders), body: node.body.toString('latin1') };
  const a = JSON.stringify(mine), b = JSON.stringify(theirs);
  return a === b ? { agree: true, how: 'same request' } : { agree: false, why: `socket engine ${a}\nNode          ${b}` };
};

// --- generators: mostly well-formed requests, with the mistakes and tricks smuggling tests use ---

const tchar = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const token = fc.string({ unit: fc.constantFrom(...tchar), minLength: 1, maxLength: 12 });
const anyByte = fc.integer({ min: 0, max: 255 }).map((n) => String.fromCharCode(n));
const printable = fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n));
const sep = fc.oneof({ weight: 20, arbitrary: fc.constant('\r\n') }, fc.constant('\n'), fc.constant('\r'), fc.constant('\r\r\n'));

const method = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
  fc.constantFrom('PROPFIND', 'QUERY', 'MKCOL', 'M-SEARCH', 'TRACE', 'CONNECT', 'get', 'G ET', 'GET\t', 'FROB', ''),
  token,
);
const pathChar = fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...'abcxyz019-_~/'.split('')) }, fc.constantFrom('%2e', '%2F', '..', '.', '?', '#', '%', ' ', '\t', '\u00e9', '*', '@', ':'), anyByte);
const target = fc.oneof(
  { weight: 10, arbitrary: fc.array(pathChar, { maxLength: 12 }).map((cs) => `/${cs.join('')}`) },
  fc.constantFrom('*', 'http://a/x', '//a/x', '', '/a b', '/a?b=1&c=%zz'),
);
const version = fc.oneof({ weight: 20, arbitrary: fc.constant('HTTP/1.1') }, fc.constantFrom('HTTP/1.0', 'HTTP/1.10', 'http/1.1', 'HTTP/2.0', 'HTTP/1.1 ', 'HTTP/1'));
const headerName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('Host', 'Accept', 'Cookie', 'X-Thing', 'Content-Type', 'Connection', 'content-length', 'Transfer-Encoding', 'Upgrade', 'Expect', 'X-Forwarded-For') },
  { weight: 3, arbitrary: token },
  fc.constantFrom('Host ', ' Host', 'Content-Length ', 'X Y', 'X:Y', '', 'Tr\u00e4nsfer-Encoding', 'X\u0000'),
);
const headerValue = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: printable, maxLength: 20 }) },
  fc.constantFrom('close', 'keep-alive, Host', 'chunked', 'gzip, chunked', ' chunked', 'chunked, identity', '100-continue', 'websocket', 'h2c', 'a\u0000b', 'a\rb', 'a\nb', 'a\r\n b', '\t v \t', '\u00ff\u0080'),
  fc.string({ unit: anyByte, maxLength: 8 }),
);
const contentLength = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 40 }).map(String) },
  fc.constantFrom('5x', '+5', '-1', ' 5', '05', '0x5', '5, 5', '5,6', '', '99999999999999999999', '1e2'),
);

const wild = fc.record({
  method, target, version, sep,
  host: fc.oneof({ weight: 8, arbitrary: fc.constant(['a.example']) }, fc.constant([] as string[]), fc.constant(['a', 'b']), fc.constant(['']), fc.constant(['a', 'a'])),
  headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 5 }),
  lengths: fc.array(contentLength, { maxLength: 2 }),
  chunked: fc.boolean(),
  body: fc.string({ unit: anyByte, maxLength: 40 }),
});
/** Well-formed requests with varied content: where a difference in what is read would hide. */
const tame = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'QUERY'),
  target: fc.array(fc.constantFrom(...'abc019-_~/%20?=&.'.split('')), { maxLength: 16 }).map((cs) => `/${cs.join('')}`),
  version: fc.constant('HTTP/1.1'), sep: fc.constant('\r\n'),
  host: fc.constantFrom(['a.example'], ['shop.test:8080']),
  headers: fc.array(fc.tuple(token, fc.string({ unit: fc.oneof(printable, fc.constant('\t')), maxLength: 24 })), { maxLength: 6 }),
  lengths: fc.oneof(fc.constant([] as string[]), fc.nat({ max: 40 }).map((n) => [String(n)])),
  chunked: fc.constant(false),
  body: fc.string({ unit: anyByte, maxLength: 40 }),
});

/** A generated request: raw bytes, as a client (or an attacker) could send them. */
export const rawRequest = fc.oneof(wild, tame).map((r) => {
  const lines = [`${r.method} ${r.target} ${r.version}`];
  for (const h of r.host) lines.push(`Host: ${h}`);
  for (const [n, v] of r.headers) lines.push(`${n}: ${v}`);
  for (const l of r.lengths) lines.push(`Content-Length: ${l}`);
  // A well-formed length matches the body, so a request is complete when it is well formed; with no
  // framing at all there is no body (bytes after it would be a second, pipelined request).
  const declared = r.lengths.length === 1 && /^\d{1,2}$/.test(r.lengths[0]!) ? Number(r.lengths[0]) : undefined;
  let body = r.lengths.length === 0 && !r.chunked ? '' : r.body;
  if (declared !== undefined) body = body.padEnd(declared, 'x').slice(0, declared);
  if (r.chunked) {
    lines.push('Transfer-Encoding: chunked');
    body = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  }
  return Buffer.from(`${lines.join(r.sep)}${r.sep}${r.sep}${body}`, 'latin1');
});

/** Runs `cases` generated requests through both parsers; throws (with the smallest failing case) on a disagreement. */
export const fuzzFraming = async (o: { cases: number; seed?: number; replayBodyBytes?: number }) => {
  const node = await startNodeParser();
  const counts = { 'handed off': 0, 'both refused or incomplete': 0, 'same request': 0 };
  try {
    await fc.assert(fc.asyncProperty(rawRequest, async (bytes) => {
      const v = compare(frameRequest(bytes, { replayBodyBytes: o.replayBodyBytes ?? 64 * 1024 }), await node.read(bytes));
      if (!v.agree) throw new Error(`${v.why}\nrequest: ${JSON.stringify(bytes.toString('latin1'))}`);
      counts[v.how] += 1;
    }), { numRuns: o.cases, ...(o.seed === undefined ? {} : { seed: o.seed }) });
  } finally {
    await node.close();
  }
  return counts;
};
