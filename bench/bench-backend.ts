// A trivial backend for the proxy benchmark: 1 KB of JSON (or a file's bytes) on any path,
// keep-alive, 127.0.0.1 only. Usage: node bench/bench-backend.ts <port> [body.json]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = process.argv[3]
  ? readFileSync(process.argv[3])
  : Buffer.from(JSON.stringify({ items: Array.from({ length: 12 }, (_, i) => ({ id: i, name: `product-${i}`, price: 1000 + i, tags: ['a', 'b'] })) }).padEnd(1024, ' '));
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const a = server.address();
  console.log(JSON.stringify({ port: typeof a === 'object' && a ? a.port : 0 }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
