import type { Duplex } from 'node:stream';
import { proxyErrorCodes, type ProxyErrorCode } from '../errors/proxy-error-codes.ts';

/** Writes a JSON error straight onto a socket and closes it (no parsed request, so no response object). */
export const socketError = (socket: Duplex, code: ProxyErrorCode, message: string, extra = '') => {
  const status = proxyErrorCodes[code].status;
  const body = JSON.stringify({ error: { code, message, requestId: '' } });
  const reason = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[status as 400] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extra}\r\n${body}`);
};
