import { z } from 'zod';
import { errorCatalogue, type ErrorCode } from '../errors.ts';
import { errorBodySchema } from './common-schemas.ts';
import { errorCodesOf, globalErrorCodes, routes, type RouteSpec } from './routes.ts';

const jsonSchema = (s: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const parametersOf = (r: RouteSpec) => {
  const params = Object.entries(r.params?.shape ?? {}).map(([name, s]) => ({
    name, in: 'path', required: true, schema: jsonSchema(s as z.ZodType, 'output'),
  }));
  const queryShape = r.query && 'shape' in r.query ? (r.query as z.ZodObject).shape : {};
  const query = Object.entries(queryShape).map(([name, s]) => {
    const schema = s as z.ZodType;
    const out = jsonSchema(schema, 'output');
    return { name, in: 'query', required: !schema.safeParse(undefined).success, schema: out, ...(schema.description ? { description: schema.description } : {}) };
  });
  return [...params, ...query];
};

const errorResponses = (codes: ErrorCode[]) => {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) byStatus.set(errorCatalogue[c].status, [...(byStatus.get(errorCatalogue[c].status) ?? []), c]);
  return Object.fromEntries([...byStatus].map(([status, cs]) => [String(status), {
    description: cs.map((c) => `${c}: ${errorCatalogue[c].description}`).join(' | '),
    content: { 'application/json': { schema: jsonSchema(errorBodySchema(cs), 'output') } },
  }]));
};

const operation = (r: RouteSpec, ref: (name: string) => string) => {
  const s = r.success;
  const headers = { 'x-request-id': { description: 'the incoming x-request-id, or a generated one', schema: { type: 'string' } } };
  return {
    operationId: `${r.method}${r.path.replace(/[{}]/g, '').split(/[/-]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}`,
    summary: r.summary,
    tags: [r.tag],
    ...(r.auth === 'none' ? { security: [] } : {}),
    ...(r.auth === 'admin' ? { description: 'Needs a session of a user with role admin.' } : {}),
    parameters: parametersOf(r),
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
    responses: {
      [String(s.status)]: {
        description: s.description,
        headers: s.setsCookie ? { ...headers, 'set-cookie': { description: 'ficus_session=<token>; HttpOnly; SameSite=Lax', schema: { type: 'string' } } } : headers,
        ...(s.schema && s.name ? { content: { 'application/json': { schema: { $ref: ref(s.name) } } } } : {}),
      },
      ...errorResponses(errorCodesOf(r)),
    },
  };
};

/** The OpenAPI 3.1 description of the monolith, built from the same zod schemas the handlers validate with. */
export const buildOpenApiDocument = () => {
  const components: Record<string, unknown> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    if (r.success.schema && r.success.name) components[r.success.name] = jsonSchema(r.success.schema, 'output');
    (paths[r.path] ??= {})[r.method] = operation(r, (name) => `#/components/schemas/${name}`);
  }
  components.Error = jsonSchema(errorBodySchema(), 'output');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ficus legacy monolith',
      version: '1.0.0',
      description: 'The e-commerce monolith that Ficus strangles. Money is in integer euro cents. Lists are pages of `{items, page, pageSize, total, totalPages}`. Every error is `{error: {code, message, requestId, details?}}` with a stable code.',
    },
    servers: [{ url: 'http://127.0.0.1:3000' }],
    security: [{ session: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ficus_session' } },
    },
    'x-error-codes': Object.fromEntries(Object.entries(errorCatalogue).map(([code, e]) => [code, e])),
    'x-global-error-codes': globalErrorCodes,
  };
};
