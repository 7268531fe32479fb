// Starts the open-source Unleash server for the local stack. Settings come from the environment
// (set by `ficus stack up`); tokens are created only while the token table is empty.
import { start } from 'unleash-server';

const env = (name) => {
  const v = process.env[name];
  if (!v) { console.error(`unleash: missing environment variable ${name}`); process.exit(2); }
  return v;
};

// Unleash 8.2 records a flag's lifecycle from an event listener it does not await: when a flag is
// archived and deleted at once (the tests' clean-up does), that insert fails on a foreign key, and on
// Node 24 an unhandled rejection ends the process, taking Unleash away from everything after it.
// Log it and keep serving: the failed insert concerns a flag that no longer exists.
const onRejection = (e) => {
  console.error(`unleash: an unhandled rejection, logged and ignored: ${e instanceof Error ? e.message : String(e)}`);
};
// An exception thrown from such a listener is logged and ignored too; an exit says who asked for it
// (the stack of the `exit` event is the caller of process.exit).
const onException = (e) => {
  console.error(`unleash: an uncaught exception, logged and ignored: ${e instanceof Error ? e.stack : String(e)}`);
};
process.on('unhandledRejection', onRejection);
process.on('uncaughtException', onException);

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

// db-migrate, which Unleash runs at start, leaves handlers on unhandledRejection and uncaughtException
// that log the error and call process.exit(1): the rejection above was logged as ignored, and then
// the server exited anyway (seen twice in session 11's CI runs, every later Unleash test failing).
// From here on, ours only.
for (const event of ['unhandledRejection', 'uncaughtException']) {
  const others = process.listeners(event).filter((l) => l !== onRejection && l !== onException);
  for (const l of others) process.removeListener(event, l);
  if (others.length) console.error(`unleash: ${others.length} other ${event} handler(s) removed (db-migrate's exits the process); logged and ignored instead`);
}

// Unleash registers its own SIGINT, SIGTERM and SIGHUP handlers (each stops and exits): one stop
// here instead, and a hangup is not a reason for a daemon without a terminal to leave. Every signal
// and the exit code are logged, so a stop is never silent.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeAllListeners(signal);
let stopping = false;
const stop = (signal) => async () => {
  console.error(`unleash: ${signal} received${stopping ? ' (already stopping)' : ', stopping'}`);
  if (stopping) return;
  stopping = true;
  try { await unleash.stop(); } finally { process.exit(0); }
};
process.on('SIGTERM', stop('SIGTERM'));
process.on('SIGINT', stop('SIGINT'));
process.on('SIGHUP', () => console.error('unleash: SIGHUP received, ignored (no terminal to hang up)'));
process.on('exit', (code) => console.error(`unleash: exiting with code ${code}${stopping ? '' : `, not asked to stop; from ${new Error('exit').stack?.split('\n').slice(2, 8).join(' <- ')}`}`));
