// A real load balancer in front of several strangler-proxy replicas: nginx from Debian, one worker,
// round robin, keep-alive to the replicas. Used by `ficus demo` and the fleet e2e tests; a
// deployment brings its own (HAProxy, a cloud LB) with the same behaviour.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebianPackages } from './install.ts';
import { stackError } from './stack-error.ts';

export interface LoadBalancerOptions {
  /** A folder of its own for the config, pid, logs and nginx's temp files. */
  dir: string;
  /** Where it listens (127.0.0.1). */
  port: number;
  /** The replicas, `127.0.0.1:8180`. */
  upstreams: readonly string[];
  /** Seconds a replica that failed a connection is left out (default 2). */
  failTimeoutSeconds?: number;
}

export interface LoadBalancer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The nginx config: requests spread over the replicas in turn; a replica that refuses connections
 * is skipped (a request that never reached one is retried on the next, only when it is idempotent:
 * nginx's default leaves POST alone); bodies stream both ways; the client's Host and address pass.
 */
export const loadBalancerConfig = (o: LoadBalancerOptions): string => {
  const d = o.dir;
  const fail = o.failTimeoutSeconds ?? 2;
  return `
worker_processes 1;
daemon off;
pid ${d}/nginx.pid;
error_log ${d}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${d}/body; proxy_temp_path ${d}/proxy; fastcgi_temp_path ${d}/fcgi; uwsgi_temp_path ${d}/uwsgi; scgi_temp_path ${d}/scgi;
  upstream strangler_proxies {
${o.upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=${fail}s;`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${o.port};
    client_max_body_size 0;
    location / {
      proxy_pass http://strangler_proxies;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
    }
  }
}
`;
};

const waitListening = async (url: string, child: ChildProcess, errorLog: string) => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw stackError('COMPONENT_DIED', 'load-balancer', `nginx exited with ${child.exitCode}: ${readFileSync(errorLog, 'utf8').slice(-500)}`, errorLog);
    try { await fetch(url, { signal: AbortSignal.timeout(500) }); return; } catch { /* not yet */ }
    if (Date.now() > deadline) throw stackError('COMPONENT_START_TIMEOUT', 'load-balancer', `nginx did not listen on ${url} within 10 s`, errorLog);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** Installs nginx if missing (Debian), starts it in the foreground as a child, waits until it listens. */
export const startLoadBalancer = async (o: LoadBalancerOptions): Promise<LoadBalancer> => {
  if (!o.upstreams.length) throw stackError('COMPONENT_INIT_FAILED', 'load-balancer', 'at least one upstream replica is needed');
  await ensureDebianPackages('load-balancer', '/usr/sbin/nginx', ['nginx']);
  for (const sub of ['body', 'proxy', 'fcgi', 'uwsgi', 'scgi']) mkdirSync(join(o.dir, sub), { recursive: true });
  const conf = join(o.dir, 'nginx.conf');
  writeFileSync(conf, loadBalancerConfig(o));
  const errorLog = join(o.dir, 'error.log');
  writeFileSync(errorLog, '', { flag: 'a' });
  const child = spawn('/usr/sbin/nginx', ['-c', conf, '-p', o.dir, '-e', errorLog], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${o.port}`;
  try {
    await waitListening(url, child, errorLog);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGQUIT'); // graceful: finishes the requests in flight
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    },
  };
};
