// The legacy monolith for the proxy benchmark: a fresh seeded test database (dropped on SIGTERM), the
// real Express app, 127.0.0.1 only. Prints {"port":…} once it listens. Usage: node bench/bench-monolith.ts [port]
import { createServer } from 'node:http';
import { createTestDatabase } from '@ficus/common/testing';
import { createApp, seedLegacy, testConfig } from '@ficus/legacy-monolith';

const db = await createTestDatabase('proxy_bench');
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  server.close();
  await db.drop().catch(() => {});
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
await seedLegacy(db.knex, { profile: 'small', seed: 7 }); // applies the schema first
const server = createServer(createApp(testConfig(), db.knex));
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const a = server.address();
  console.log(JSON.stringify({ port: typeof a === 'object' && a ? a.port : 0, database: db.name }));
});
