import { FicusError } from '@ficus/common';

/** Minimal typed client of the Kafka Connect REST API. */
export const createConnectClient = (baseUrl: string) => {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new FicusError('CONNECT_REQUEST_FAILED', `Kafka Connect ${method} ${path} answered ${res.status}: ${text.slice(0, 400)}`, {
        retriable: res.status >= 500 || res.status === 409,
      });
    }
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    /** Creates or updates (PUT is idempotent). */
    putConnector: (name: string, config: Record<string, string>) => call<unknown>('PUT', `/connectors/${encodeURIComponent(name)}/config`, config),
    deleteConnector: (name: string) => call<unknown>('DELETE', `/connectors/${encodeURIComponent(name)}`),
    status: (name: string) => call<{ connector: { state: string }; tasks: Array<{ id: number; state: string; trace?: string }> }>('GET', `/connectors/${encodeURIComponent(name)}/status`),
    list: () => call<string[]>('GET', '/connectors'),
    /** Restarts the connector's failed tasks (PUTting an unchanged config does not). */
    /** The source offsets the connector has committed (KIP-875); for Debezium MariaDB `{ gtids, file, pos, … }`. */
    offsets: (name: string) => call<{ offsets: Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> | null }> }>('GET', `/connectors/${encodeURIComponent(name)}/offsets`),
    restartFailed: (name: string) => call<unknown>('POST', `/connectors/${encodeURIComponent(name)}/restart?includeTasks=true&onlyFailed=true`),
  };
};
export type ConnectClient = ReturnType<typeof createConnectClient>;
