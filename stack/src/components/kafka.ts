import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Component, Health } from '../component-type.ts';
import { ensureJava, ensureJvmLibs } from '../install.ts';
import { paths, logFile, pidFile } from '../paths.ts';
import { stackPorts, stackHost } from '../ports.ts';
import { execFileP, spawnDaemon, pidFileControl } from '../process-utils.ts';
import { stackError } from '../stack-error.ts';

const name = 'kafka';
const dataDir = join(paths.data, 'kafka');
const propsFile = join(paths.config, 'kafka-server.properties');
const log4j = join(paths.stackConfig, 'kafka-log4j.properties');
const formattedMarker = join(dataDir, '.ficus-formatted');

/** Single-node KRaft: one process is broker and controller; every replication factor is 1. */
const serverProperties = () => `
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${stackHost}:${stackPorts.kafkaController}
listeners=PLAINTEXT://${stackHost}:${stackPorts.kafka},CONTROLLER://${stackHost}:${stackPorts.kafkaController}
advertised.listeners=PLAINTEXT://${stackHost}:${stackPorts.kafka}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${join(dataDir, 'logs')}
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=72
`.trimStart();

/** The JVM command line shared by the broker, its tools and Kafka Connect. */
export const javaArgs = (libDir: string, heap: string, main: string, args: string[]) => [
  `-Xms${heap}`, `-Xmx${heap}`, '-XX:+UseG1GC', '-Djava.awt.headless=true',
  `-Dlog4j.configuration=file:${log4j}`,
  '-cp', `${join(libDir, 'kafka')}/*`,
  main, ...args,
];

export const kafkaBrokers = `${stackHost}:${stackPorts.kafka}`;

export const kafka: Component = {
  name,
  ports: [stackPorts.kafka, stackPorts.kafkaController],
  dependsOn: [],
  url: `kafka://${kafkaBrokers}`,
  startTimeoutMs: 90_000,

  async install() {
    await ensureJava();
    await ensureJvmLibs();
  },

  async start() {
    const libDir = await ensureJvmLibs();
    mkdirSync(paths.config, { recursive: true });
    writeFileSync(propsFile, serverProperties());
    if (!existsSync(formattedMarker)) {
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir, { recursive: true });
      try {
        await execFileP('java', javaArgs(libDir, '256m', 'kafka.tools.StorageTool', ['format', '-t', randomUUID().replace(/-/g, '').slice(0, 22), '-c', propsFile, '--ignore-formatted']), { maxBuffer: 16 << 20 });
      } catch (e) {
        throw stackError('COMPONENT_INIT_FAILED', name, `kafka-storage format failed: ${(e as Error).message.slice(0, 400)}`);
      }
      writeFileSync(formattedMarker, new Date().toISOString());
    }
    return spawnDaemon({ command: 'java', args: javaArgs(libDir, '768m', 'kafka.Kafka', [propsFile]), logFile: logFile(name), pidFile: pidFile(name) });
  },

  async health(): Promise<Health> {
    const admin = new Kafka({ clientId: 'ficus-stack-health', brokers: [kafkaBrokers], logLevel: logLevel.NOTHING, connectionTimeout: 1500, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      const d = await admin.describeCluster();
      return { ok: d.brokers.length > 0, detail: `${d.brokers.length} broker, controller ${d.controller}` };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },

  ...pidFileControl(pidFile(name), { graceMs: 30_000 }),
};

