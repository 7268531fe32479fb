// Talking to the cockpit's API: JSON in, JSON out; an error answer becomes an Error with its code.
export const api = async (path, options = {}) => {
  const init = { method: options.method ?? 'GET', headers: { accept: 'application/json' }, credentials: 'same-origin' };
  if (options.body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(options.body); }
  const res = await fetch(`/api${path}`, init);
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(body.error?.message ?? `HTTP ${res.status}`), { code: body.error?.code ?? `HTTP_${res.status}`, status: res.status });
  return body;
};

export const pct = (v, digits = 1) => (v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(digits)}%`);
export const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
