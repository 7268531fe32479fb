import type { IncomingMessage, ServerResponse } from 'node:http';
import { isFicusError } from '@ficus/common';
import type { PositionChecker } from './position-checker.ts';

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
};

const statusOf: Record<string, number> = { CDC_POSITION_INVALID: 400, CDC_UNKNOWN_PIPELINE: 404 };

/**
 * `GET /positions/current` → `{ position }`; `GET /positions/applied?pipeline=<name|domain>&position=<gtids>`
 * → the AppliedAnswer. Returns false for other paths.
 */
export const handlePositionRequest = async (checker: PositionChecker, req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
  const url = new URL(req.url ?? '/', 'http://cdc');
  if (url.pathname !== '/positions/current' && url.pathname !== '/positions/applied') return false;
  try {
    if (url.pathname === '/positions/current') { send(res, 200, { position: await checker.current() }); return true; }
    const pipeline = url.searchParams.get('pipeline');
    const position = url.searchParams.get('position');
    if (!pipeline || position === null) { send(res, 400, { error: { code: 'CDC_POSITION_INVALID', message: 'pipeline (a pipeline name or a domain) and position (a GTID position) are required' } }); return true; }
    send(res, 200, await checker.applied(pipeline, position));
  } catch (e) {
    if (isFicusError(e)) send(res, statusOf[e.code] ?? 503, { error: { code: e.code, message: e.message } });
    else send(res, 503, { error: { code: 'CDC_POSITION_UNAVAILABLE', message: (e as Error).message } });
  }
  return true;
};
