export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface HttpClient {
  request(method: string, path: string, opts?: { body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<HttpResponse>;
  get(path: string, headers?: Record<string, string>): Promise<HttpResponse>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResponse>;
  put(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResponse>;
  patch(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResponse>;
  delete(path: string, headers?: Record<string, string>): Promise<HttpResponse>;
  /** The cookie jar, `name=value` pairs. */
  cookies: Map<string, string>;
}

/**
 * A tiny fetch client with a cookie jar for end-to-end tests; `defaultHeaders` go on every request
 * (e.g. a signed `x-ficus-user`).
 */
export const createHttpClient = (baseUrl: string, defaultHeaders: Record<string, string> | (() => Record<string, string>) = {}): HttpClient => {
  const cookies = new Map<string, string>();
  const request: HttpClient['request'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(typeof defaultHeaders === 'function' ? defaultHeaders() : defaultHeaders), ...opts.headers };
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, body });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) cookies.delete(name);
      else cookies.set(name, value);
    }
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed };
  };
  return {
    request,
    cookies,
    get: (path, headers) => request('GET', path, { headers: headers ?? {} }),
    post: (path, body, headers) => request('POST', path, { body, headers: headers ?? {} }),
    put: (path, body, headers) => request('PUT', path, { body, headers: headers ?? {} }),
    patch: (path, body, headers) => request('PATCH', path, { body, headers: headers ?? {} }),
    delete: (path, headers) => request('DELETE', path, { headers: headers ?? {} }),
  };
};
