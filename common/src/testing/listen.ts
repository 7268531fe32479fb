import { createServer, type AddressInfo } from 'node:net';
import type { Express } from 'express';

/** Listens on an ephemeral port of 127.0.0.1; returns the base URL and a close that drops open connections. */
export const listenEphemeral = async (app: Express): Promise<{ baseUrl: string; close: () => Promise<void> }> => {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
};

/** A loopback port free right now, for a process that must be told its port (nginx, a child process). */
export const freePort = (): Promise<number> => new Promise<number>((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); });
});
