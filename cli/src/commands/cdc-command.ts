import { FicusError } from '@ficus/common';
import type { Command } from 'commander';
import { createTable } from '../output/table.ts';
import { cdcRootLogin, connectAll, provisionCdc, provisionCdcControl, cdcStatus, createPositionChecker, requestIncrementalSnapshot, defaultTopology, deadLetterTopicOf, kafkaFor, loadCdcConfig, openCdcControl, readDeadLetters, readDirections, retryDeadLetters, waitUntilApplied } from '@ficus/cdc';

/**
 * The CLI is the operator's tool: it reads the control database as root, after applying its schema
 * (idempotent), so these commands answer on a fresh stack too, before any CDC process ran.
 */
const operatorLogin = async (config: ReturnType<typeof loadCdcConfig>) => {
  await provisionCdcControl(config.stack, config.controlDatabase);
  return cdcRootLogin(config.stack);
};

/** The topology the directions control table asks for now (what the CDC process runs). */
const currentTopology = async (config: ReturnType<typeof loadCdcConfig>) => {
  const control = await openCdcControl(config.stack, await operatorLogin(config), config.controlDatabase);
  try { return defaultTopology(config.databases, undefined, (await readDirections(control)).directions); } finally { await control.destroy(); }
};

export const registerCdc = (program: Command): void => {
  const cdc = program.command('cdc').description('change data capture between the legacy and service databases');

  cdc.command('connect').description("provision the CDC as root (its tables, its MariaDB user and grants), then create or update the Debezium connectors through the Kafka Connect REST API (idempotent)")
    .action(async () => {
      const config = loadCdcConfig();
      await provisionCdc(config.stack, { login: config.login, debeziumUser: config.debezium.user, databases: config.databases, control: config.controlDatabase });
      await connectAll(defaultTopology(config.databases), config.stack, config.debezium);
      console.log('connectors running');
    });

  cdc.command('snapshot').description("backfill: ask a connector for an incremental snapshot of some tables (Debezium's signal table)")
    .argument('<connector>', 'connector name, e.g. ficus-legacy')
    .argument('<tables...>', 'tables it captures, e.g. products')
    .action(async (connector: string, tables: string[]) => {
      const config = loadCdcConfig();
      const id = await requestIncrementalSnapshot(defaultTopology(config.databases), config.stack, connector, tables);
      console.log(`incremental snapshot requested (signal ${id}); follow it with \`ficus cdc status\``);
    });

  cdc.command('status').description('connectors, consumer lag, last apply, dead letters, rows per table (initial-load progress)')
    .option('--json', 'machine-readable')
    .action(async (o: { json?: boolean }) => {
      const config = loadCdcConfig();
      const s = await cdcStatus(await currentTopology(config), config.stack, `http://127.0.0.1:${config.metricsPort}/metrics`);
      if (o.json) { console.log(JSON.stringify(s, null, 2)); return; }
      const c = createTable({ head: ['connector', 'state', 'tasks'] });
      for (const x of s.connectors) c.push([x.name, x.state, x.tasks.join(',')]);
      console.log(c.toString());
      const p = createTable({ head: ['pipeline', 'lag (events)', 'end-to-end lag', 'last applied', 'dead letters', 'table', 'rows source → target'] });
      const ms = (n: number) => (Number.isFinite(n) ? `${n} ms` : '> 60 s');
      for (const x of s.pipelines) for (const [i, t] of x.tables.entries()) {
        const e2e = [x.lastApplyLagMs === null ? 'last n/a' : `last ${x.lastApplyLagMs} ms`, x.lagMs ? `p50 ≤ ${ms(x.lagMs.p50)}, p99 ≤ ${ms(x.lagMs.p99)}` : s.cdcProcess === 'answering' ? 'p50/p99: no apply since the cdc process started' : 'p50/p99: cdc process not answering'].join('\n');
        p.push(i === 0 ? [x.name, String(x.consumerLag ?? 'n/a'), e2e, x.lastAppliedAt ?? 'never', String(x.deadLetters), `${t.source} → ${t.target}`, `${t.sourceRows} → ${t.targetRows}`] : ['', '', '', '', '', `${t.source} → ${t.target}`, `${t.sourceRows} → ${t.targetRows}`]);
      }
      console.log(p.toString());
    });

  // "has position X been applied?" for scripts and operators (the CDC process answers the same over HTTP)
  const withChecker = async <T>(fn: (c: ReturnType<typeof createPositionChecker>) => Promise<T>): Promise<T> => {
    const config = loadCdcConfig();
    const topology = await currentTopology(config);
    const checker = createPositionChecker({ stack: config.stack, login: await operatorLogin(config), control: config.controlDatabase, topology: () => topology });
    try { return await fn(checker); } finally { await checker.close(); }
  };
  cdc.command('position').description("the legacy source's position now (@@gtid_binlog_pos): what is committed by now is at or before it")
    .action(async () => { console.log(await withChecker((c) => c.current())); });
  cdc.command('applied').description('has every change up to a position been applied by a pipeline? exit 0 if so, 1 if not (yet)')
    .argument('<position>', 'a GTID position, as `ficus cdc position` prints it')
    .option('--pipeline <name>', 'a pipeline name, or a domain (catalog, inventory; legacy for the reverse pipeline)', 'catalog')
    .option('--wait <ms>', 'wait up to this long for it', '0')
    .option('--json', 'machine-readable')
    .action(async (position: string, o: { pipeline: string; wait: string; json?: boolean }) => {
      const waitMs = Number(o.wait);
      if (!Number.isInteger(waitMs) || waitMs < 0) throw new FicusError('CLI_INVALID_OPTION', `--wait must be a whole number of milliseconds, got ${o.wait}`);
      const answer = await withChecker((c) => waitUntilApplied(c, o.pipeline, position, waitMs));
      if (o.json) console.log(JSON.stringify(answer, null, 2));
      else console.log(`${answer.pipeline}: ${answer.position || '(empty position)'} ${answer.applied ? 'applied' : 'not applied yet'}${answer.applied ? '' : ` (${answer.connectors.filter((c) => !c.covered).map((c) => `connector ${c.name} at ${c.offset ?? 'no offset'}`).concat(answer.partitions.filter((p) => !p.through).map((p) => `${p.topic}[${p.partition}] at ${p.nextOffset ?? 0}/${p.highWatermark}`)).join('; ')})`}`);
      if (!answer.applied) process.exitCode = 1;
    });

  cdc.command('dlq').description('list the dead letters of a pipeline (or all), and retry them')
    .argument('[pipeline]', 'pipeline name')
    .option('--retry', 'send them back to their source topic once the cause is fixed')
    .option('--json', 'machine-readable')
    .action(async (name: string | undefined, o: { retry?: boolean; json?: boolean }) => {
      const config = loadCdcConfig();
      const topology = defaultTopology(config.databases);
      const pipelines = topology.pipelines.filter((p) => !name || p.name === name);
      if (!pipelines.length) throw new FicusError('CDC_UNKNOWN_PIPELINE', `no pipeline ${name}; known: ${topology.pipelines.map((p) => p.name).join(', ')}`);
      const kafka = kafkaFor(config.stack, 'ficus-cli');
      for (const p of pipelines) {
        const letters = await readDeadLetters(kafka, deadLetterTopicOf(p));
        if (o.json) console.log(JSON.stringify({ pipeline: p.name, letters }, null, 2));
        else {
          const t = createTable({ head: ['dlq offset', 'code', 'source', 'key', 'reason'], colWidths: [10, 22, 34, 16, 60], wordWrap: true });
          for (const l of letters) t.push([l.offset, l.code, `${l.sourceTopic}@${l.sourcePartition}:${l.sourceOffset}`, l.key ?? '', l.reason]);
          console.log(`${p.name}: ${letters.length} dead letter(s)\n${t.toString()}`);
        }
        if (o.retry && letters.length) console.log(`${p.name}: ${await retryDeadLetters(kafka, letters)} sent back to their source topics`);
      }
    });
};
