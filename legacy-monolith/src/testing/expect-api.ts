import { expect } from 'chai';
import type { z } from 'zod';
import type { HttpResponse } from './http-client.ts';
import { errorBodySchema } from '../contract/common-schemas.ts';
import type { ErrorCode } from '../errors.ts';

/** Asserts the status and that the body matches the published contract schema exactly; returns the parsed body. */
export const expectOk = <S extends z.ZodType>(res: HttpResponse, status: number, schema: S): z.infer<S> => {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  const parsed = schema.safeParse(res.body);
  expect(parsed.success, parsed.success ? '' : `${JSON.stringify(parsed.error.issues)} in ${JSON.stringify(res.body)}`).to.equal(true);
  return parsed.data as z.infer<S>;
};

/** Asserts a contract error: status, stable code, the error body shape and the echoed request id. */
export const expectError = (res: HttpResponse, status: number, code: ErrorCode) => {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  const body = expectOk(res, status, errorBodySchema());
  expect(body.error.code).to.equal(code);
  expect(body.error.requestId).to.equal(res.headers.get('x-request-id'));
  expect(JSON.stringify(body)).not.to.match(/ at .*\.ts:\d+/);
  return body.error;
};
