import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, Health } from '../component-type.ts';
import { ensureJava, ensureJvmLibs } from '../install.ts';
import { paths, logFile, pidFile } from '../paths.ts';
import { stackPorts, stackHost } from '../ports.ts';
import { spawnDaemon, pidFileControl } from '../process-utils.ts';
import { javaArgs, kafkaBrokers } from './kafka.ts';

const name = 'connect';
const propsFile = join(paths.config, 'connect-distributed.properties');
export const connectUrl = `http://${stackHost}:${stackPorts.connect}`;
export const debeziumConnectorClass = 'io.debezium.connector.mariadb.MariaDbConnector';

/**
 * Distributed mode (state in Kafka topics, REST on loopback). Plain JSON without the schema
 * envelope: consumers read `{before, after, op, source, ts_ms}` directly.
 */
const connectProperties = (libDir: string) => `
bootstrap.servers=${kafkaBrokers}
group.id=ficus-connect
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=false
value.converter.schemas.enable=false
config.storage.topic=ficus-connect-configs
offset.storage.topic=ficus-connect-offsets
status.storage.topic=ficus-connect-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
status.storage.replication.factor=1
offset.flush.interval.ms=250
listeners=http://${stackHost}:${stackPorts.connect}
rest.advertised.host.name=${stackHost}
rest.advertised.port=${stackPorts.connect}
plugin.path=${join(libDir, 'connect-plugins')}
`.trimStart();

export const connect: Component = {
  name,
  ports: [stackPorts.connect],
  dependsOn: ['kafka'],
  url: connectUrl,
  startTimeoutMs: 120_000,

  async install() {
    await ensureJava();
    await ensureJvmLibs();
  },

  async start() {
    const libDir = await ensureJvmLibs();
    mkdirSync(paths.config, { recursive: true });
    writeFileSync(propsFile, connectProperties(libDir));
    return spawnDaemon({
      command: 'java',
      args: javaArgs(libDir, '1g', 'org.apache.kafka.connect.cli.ConnectDistributed', [propsFile]),
      logFile: logFile(name),
      pidFile: pidFile(name),
    });
  },

  async health(): Promise<Health> {
    try {
      const res = await fetch(`${connectUrl}/connector-plugins`, { signal: AbortSignal.timeout(2000) });
      if (!res.ok) return { ok: false, detail: `REST answered ${res.status}` };
      const plugins = (await res.json()) as Array<{ class: string; version: string }>;
      const dbz = plugins.find((p) => p.class === debeziumConnectorClass);
      return dbz ? { ok: true, detail: `Debezium MariaDB ${dbz.version}` } : { ok: false, detail: 'Debezium MariaDB connector plugin not loaded' };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  },

  ...pidFileControl(pidFile(name), { graceMs: 30_000 }),
};
