// go-httpbin (httpbin.org's API in Go, built once per machine by the stack installer) on a free
// 127.0.0.1 port: the backend nobody on the project wrote, for transparency and conformance tests.
import { spawn } from 'node:child_process';
import { freePort } from '@ficus/common/testing';
import { waitFor } from '@ficus/common';
import { ensureGoHttpbin } from '@ficus/stack';


export const startGoHttpbin = async (): Promise<{ origin: string; port: number; stop: () => void }> => {
  const bin = await ensureGoHttpbin();
  const port = await freePort();
  const child = spawn(bin, ['-host', '127.0.0.1', '-port', String(port), '-log-level', 'OFF'], { stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitFor(() => fetch(`${origin}/get`).then((r) => r.ok, () => false), { timeoutMs: 15_000, what: 'go-httpbin' });
  } catch (e) {
    child.kill('SIGTERM');
    throw e;
  }
  return { origin, port, stop: () => { child.kill('SIGTERM'); } };
};
