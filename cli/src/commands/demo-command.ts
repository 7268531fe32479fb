import type { Command } from 'commander';
import knexFactory from 'knex';
import { FicusError, mariadbRootConnection, readStackEnv } from '@ficus/common';
import { join } from 'node:path';
import { paths, repoRoot, stackEnvironment, stackUp, startLoadBalancer, type LoadBalancer } from '@ficus/stack';
import { applyLegacySchema, seedLegacy } from '@ficus/legacy-monolith';
import { startApp, stopApps, superviseApp, waitReady, type RunningApp, type Supervised } from '../demo/app-runner.ts';
import { syncRouteFlags } from './flags-command.ts';
import { demoApps, demoLoadBalancer, demoUrls } from '../demo/demo-apps.ts';
import { mintCockpitLink } from './cockpit-command.ts';

const say = (msg: string) => process.stderr.write(`ficus demo: ${msg}\n`);

/** First run only: the legacy database gets its schema and the small seed profile. */
const prepareLegacyData = async (env: NodeJS.ProcessEnv) => {
  const stack = readStackEnv(env);
  const admin = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack) });
  try { await admin.raw('CREATE DATABASE IF NOT EXISTS legacy CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'); } finally { await admin.destroy(); }
  const knex = knexFactory({ client: 'mysql2', connection: { ...mariadbRootConnection(stack, 'legacy'), timezone: 'Z' } });
  try {
    await applyLegacySchema(knex);
    const [row] = (await knex('products').count({ n: '*' })) as Array<{ n: number }>;
    if (Number(row?.n ?? 0) === 0) {
      say('seeding the legacy database (small profile, seed 42)');
      const r = await seedLegacy(knex, { profile: 'small', seed: 42 });
      say(`seeded ${JSON.stringify(r)}`);
    }
  } finally {
    await knex.destroy();
  }
};

export const registerDemo = (program: Command): void => {
  program.command('demo')
    .description('bring up the stack and every app, serve the demo through the proxy (foreground; Ctrl-C stops what it started)')
    .action(async () => {
      await stackUp();
      // traces of every request go to the stack's Jaeger (API, cockpit) and its Zipkin (the web UI);
      // FICUS_TRACING=off leaves them out, FICUS_TRACING_ZIPKIN_URL=off sends to Jaeger only
      const stack = stackEnvironment();
      const env = { FICUS_TRACING: 'on', FICUS_TRACING_ZIPKIN_URL: stack.FICUS_ZIPKIN_URL!, FICUS_ZIPKIN_UI_URL: `${stack.FICUS_ZIPKIN_URL!}/zipkin`, ...process.env, ...stack };
      await prepareLegacyData(env);
      // The README's hand steps start with `ficus flags set <route flag> …`: the flags must exist.
      const flags = await syncRouteFlags();
      say(`route flags in Unleash: ${flags.filter((f) => f.created).length} created, ${flags.filter((f) => !f.created).length} there already (all routes as they were; new ones in legacy mode)`);
      const running: RunningApp[] = [];
      const supervised: Supervised[] = [];
      let balancer: LoadBalancer | undefined;
      let stopping = false;
      const shutdown = async (why: string) => {
        if (stopping) return;
        stopping = true;
        for (const s of supervised) s.release();
        const apps = supervised.length ? supervised.map((s) => s.current()) : running;
        say(`${why}: stopping ${apps.map((a) => a.spec.name).join(', ') || 'nothing'} (the stack keeps running; \`./ficus stack down\` stops it)`);
        await balancer?.stop();
        await stopApps(apps);
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('Ctrl-C'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      try {
        for (const [i, spec] of demoApps.entries()) {
          const app = startApp(spec, i, repoRoot, env);
          running.push(app);
          await waitReady(app);
          say(`${spec.name} ready`);
        }
        balancer = await startLoadBalancer({ dir: join(paths.run, 'demo-load-balancer'), ...demoLoadBalancer });
        say(`load balancer (nginx) on :${demoLoadBalancer.port} → proxy replicas ${demoLoadBalancer.upstreams.join(', ')}`);
      } catch (e) {
        await balancer?.stop();
        await stopApps(running);
        throw new FicusError('DEMO_START_FAILED', (e as Error).message);
      }
      // Once everything is up, an app that dies is started again; the rest keeps serving.
      for (const [i, app] of running.entries()) supervised.push(superviseApp(app, () => startApp(app.spec, i, repoRoot, env), { say }));
      say(`ready. Shop through the proxy: ${demoUrls.proxy}/api/products  ·  proxy admin: ${demoUrls.proxyAdmin}/routes (Bearer token)  ·  Unleash UI: ${stackEnvironment().FICUS_UNLEASH_URL}  ·  Temporal UI: http://127.0.0.1:18233  ·  metrics (PromQL, vmui): ${stackEnvironment().FICUS_METRICS_URL}/vmui  ·  traces: ${stackEnvironment().FICUS_ZIPKIN_URL}/zipkin/ (Zipkin UI), ${stackEnvironment().FICUS_JAEGER_URL}/api/traces?service=strangler-proxy (Jaeger API)`);
      say('Ctrl-C stops the apps');
      // the one link to open: routes, shadow differences, charts, parity and the migrations' controls
      say(`cockpit: ${(await mintCockpitLink(demoUrls.cockpit)).url}  (works once, for ten minutes; \`./ficus cockpit link\` gives another)`);
      await new Promise(() => undefined);
    });
};
