// Starts the open-source Unleash server for the local stack. Settings come from the environment
// (set by `ficus stack up`); tokens are created only while the token table is empty.
import { start } from 'unleash-server';

const env = (name) => {
  const v = process.env[name];
  if (!v) { console.error(`unleash: missing environment variable ${name}`); process.exit(2); }
  return v;
};

const unleash = await start({
  db: {
    host: '127.0.0.1',
    port: Number(env('UNLEASH_DB_PORT')),
    user: 'postgres',
    password: '',
    database: 'unleash',
    ssl: false,
  },
  server: { port: Number(env('UNLEASH_PORT')), host: '127.0.0.1' },
  authentication: {
    type: 'open-source',
    enableApiToken: true,
    initApiTokens: [
      { environment: '*', project: '*', secret: env('UNLEASH_ADMIN_TOKEN'), type: 'admin', tokenName: 'ficus-admin' },
      { environment: 'development', project: '*', secret: env('UNLEASH_CLIENT_TOKEN'), type: 'client', tokenName: 'ficus-client' },
    ],
  },
  versionCheck: { enable: false },
  logLevel: 'warn',
});

const stop = async () => { await unleash.stop(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
