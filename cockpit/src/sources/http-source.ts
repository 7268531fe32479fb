import { cockpitError } from '../errors/cockpit-error-codes.ts';

export interface SourceCall { method?: 'GET' | 'POST'; body?: unknown; timeoutMs?: number }

/**
 * One admin API the cockpit reads (the proxy's, the migration worker's, the CDC's metrics). The
 * bearer token stays here, on the server side. Failures become COCKPIT_SOURCE_UNAVAILABLE (no
 * answer) or COCKPIT_SOURCE_REFUSED (an error answer; its code is passed on).
 */
export const httpSource = (name: string, baseUrl: string, token?: string) => {
  const call = async (path: string, c: SourceCall = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (c.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(new URL(path, baseUrl), { method: c.method ?? 'GET', headers, body: c.body === undefined ? undefined : JSON.stringify(c.body), signal: AbortSignal.timeout(c.timeoutMs ?? 5_000) });
    } catch (e) {
      throw cockpitError('COCKPIT_SOURCE_UNAVAILABLE', `${name} did not answer at ${baseUrl} (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message})`, { source: name });
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let code = `HTTP_${res.status}`;
    let message = text.slice(0, 300);
    try { const b = JSON.parse(text) as { error?: { code?: string; message?: string } }; code = b.error?.code ?? code; message = b.error?.message ?? message; } catch { /* not JSON */ }
    const e = cockpitError('COCKPIT_SOURCE_REFUSED', `${name}: ${code}: ${message}`, { source: name, code, status: res.status });
    // a 4xx is the caller's (a migration that is not running, a mismatch that is gone): keep its status
    return Promise.reject(res.status >= 400 && res.status < 500 ? Object.assign(e, { status: res.status }) : e);
  };
  return {
    name,
    json: async <T>(path: string, c?: SourceCall): Promise<T> => (await call(path, c)).json() as Promise<T>,
    text: async (path: string, c?: SourceCall): Promise<string> => (await call(path, c)).text(),
  };
};
export type HttpSource = ReturnType<typeof httpSource>;
