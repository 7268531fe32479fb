import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import type { Component, Health } from '../component-type.ts';
import { ensureDebianPackages } from '../install.ts';
import { paths, logFile, pidFile } from '../paths.ts';
import { stackPorts, stackHost } from '../ports.ts';
import { execFileP, spawnDaemon, pidFileControl } from '../process-utils.ts';
import { devProxyShadowDbPassword } from '@ficus/common/core';
import { stackError } from '../stack-error.ts';

export const mariadbRootPassword = 'ficus-root';
/**
 * The proxy's shadow store (decision 0022: durable and shared by the replicas by default): its database and a user owning it. The proxy brings the tables to its schema itself.
 */
export const proxyShadowAccount = { database: 'ficus_proxy', user: 'ficus_proxy', password: devProxyShadowDbPassword };
/** Debezium's user: the grants its MariaDB connector documents. */
export const debeziumUser = { user: 'debezium', password: 'ficus-debezium' };

const name = 'mariadb';
const dataDir = join(paths.data, 'mariadb');
const socket = join(paths.run, 'mariadb.sock');
const initMarker = join(dataDir, '.ficus-initialized');

/** First start: root gets its password, Debezium its user. */
const initialise = async () => {
  // first start: root has no password yet and is reachable over the socket only
  const sql = [
    `ALTER USER 'root'@'localhost' IDENTIFIED BY '${mariadbRootPassword}'`,
    `CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '${mariadbRootPassword}'`,
    // mariadb-install-db may already have made root@127.0.0.1 without a password
    `ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '${mariadbRootPassword}'`,
    `GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION`,
    `CREATE USER IF NOT EXISTS '${debeziumUser.user}'@'%' IDENTIFIED BY '${debeziumUser.password}'`,
    `GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO '${debeziumUser.user}'@'%'`,
    'FLUSH PRIVILEGES',
  ].join(';\n');
  try {
    await execFileP('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '-e', sql]);
  } catch (e) {
    throw stackError('COMPONENT_INIT_FAILED', name, `could not create users: ${(e as Error).message.slice(0, 400)}`, logFile(name));
  }
  writeFileSync(initMarker, new Date().toISOString());
};

const serverArgs = () => [
  '--no-defaults',
  `--datadir=${dataDir}`,
  `--port=${stackPorts.mariadb}`,
  `--bind-address=${stackHost}`,
  `--socket=${socket}`,
  `--pid-file=${join(paths.run, 'mariadbd.pid')}`,
  '--user=root',
  // binlog as Debezium needs it: row-based, full row images
  '--server-id=1',
  `--log-bin=${join(dataDir, 'binlog')}`,
  '--binlog-format=ROW',
  '--binlog-row-image=FULL',
  '--binlog-annotate-row-events=ON',
  '--expire-logs-days=2',
  '--innodb-buffer-pool-size=1G',
  '--innodb-flush-log-at-trx-commit=2',
  '--max-connections=1000',
  '--skip-name-resolve',
  '--character-set-server=utf8mb4',
  '--collation-server=utf8mb4_unicode_ci',
  '--log-error=' + logFile(name),
];

const rootConn = () => mysql.createConnection({ host: stackHost, port: stackPorts.mariadb, user: 'root', password: mariadbRootPassword, connectTimeout: 1500 });

export const mariadb: Component = {
  name,
  ports: [stackPorts.mariadb],
  dependsOn: [],
  url: `mysql://root:${mariadbRootPassword}@${stackHost}:${stackPorts.mariadb}`,
  startTimeoutMs: 60_000,

  async install() {
    await ensureDebianPackages(name, '/usr/sbin/mariadbd', ['mariadb-server', 'mariadb-client']);
  },

  async start() {
    mkdirSync(paths.run, { recursive: true });
    if (existsSync(dataDir) && !existsSync(initMarker)) {
      // a data folder without the marker is what a killed first `up` leaves: it holds no data yet
      process.stderr.write(`ficus stack: mariadb: ${dataDir} was left half-initialised by an earlier run; initialising it again\n`);
      rmSync(dataDir, { recursive: true, force: true });
    }
    if (!existsSync(dataDir)) {
      mkdirSync(dataDir, { recursive: true });
      try {
        await execFileP('mariadb-install-db', ['--no-defaults', `--datadir=${dataDir}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], { maxBuffer: 16 << 20 });
      } catch (e) {
        throw stackError('COMPONENT_INIT_FAILED', name, `mariadb-install-db failed: ${(e as Error).message.slice(0, 400)}`);
      }
    }
    return spawnDaemon({ command: '/usr/sbin/mariadbd', args: serverArgs(), logFile: logFile(`${name}-stdout`), pidFile: pidFile(name) });
  },

  async afterStart() {
    if (!existsSync(initMarker)) await initialise();
    // every start (stacks made before it existed get it too); idempotent
    let c: mysql.Connection | undefined;
    try {
      c = await rootConn();
      const a = proxyShadowAccount;
      await c.query(`CREATE DATABASE IF NOT EXISTS \`${a.database}\``);
      await c.query(`CREATE USER IF NOT EXISTS '${a.user}'@'%' IDENTIFIED BY '${a.password}'`);
      await c.query(`GRANT ALL PRIVILEGES ON \`${a.database}\`.* TO '${a.user}'@'%'`);
    } catch (e) {
      throw stackError('COMPONENT_INIT_FAILED', name, `could not create the proxy's shadow database: ${(e as Error).message.slice(0, 400)}`, logFile(name));
    } finally {
      await c?.end().catch(() => undefined);
    }
  },

  async health(): Promise<Health> {
    let c: mysql.Connection | undefined;
    try {
      c = await rootConn();
      const [rows] = await c.query("SHOW VARIABLES WHERE Variable_name IN ('log_bin','binlog_format','binlog_row_image')");
      const v = Object.fromEntries((rows as Array<{ Variable_name: string; Value: string }>).map((r) => [r.Variable_name, r.Value]));
      const ok = v.log_bin === 'ON' && v.binlog_format === 'ROW' && v.binlog_row_image === 'FULL';
      return { ok, detail: ok ? 'binlog ROW/FULL' : `binlog settings wrong: ${JSON.stringify(v)}` };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    } finally {
      await c?.end().catch(() => undefined);
    }
  },

  ...pidFileControl(pidFile(name), { graceMs: 60_000 }),
};
