import { expect } from 'chai';
import { errorCatalogue, type ErrorCode } from './errors.ts';
import { buildOpenApiDocument } from './contract/openapi-document.ts';
import { errorCodesOf, globalErrorCodes, routes } from './contract/routes.ts';

describe('error catalogue and the OpenAPI document', () => {
  const doc = buildOpenApiDocument();

  it('documents every catalogued code on at least one operation or as a global code', () => {
    const used = new Set<string>([...globalErrorCodes, ...routes.flatMap(errorCodesOf)]);
    const text = JSON.stringify(doc.paths);
    for (const code of Object.keys(errorCatalogue)) {
      expect(used.has(code), `${code} is used by no route`).to.equal(true);
      if (!globalErrorCodes.includes(code as ErrorCode)) expect(text, `${code} missing from paths`).to.include(`"${code}"`);
      expect(doc['x-error-codes']).to.have.property(code);
    }
  });

  it('lists each operation\'s codes under the status the catalogue gives them', () => {
    for (const r of routes) {
      const op = (doc.paths[r.path] as Record<string, { responses: Record<string, { content?: { 'application/json': { schema: { properties: { error: { properties: { code: { enum: string[] } } } } } } } }> }>)[r.method]!;
      for (const code of errorCodesOf(r)) {
        const status = String(errorCatalogue[code].status);
        expect(op.responses[status]?.content?.['application/json'].schema.properties.error.properties.code.enum, `${r.method} ${r.path} ${code}`).to.include(code);
      }
    }
  });

  it('is OpenAPI 3.1 with every $ref resolvable and unique operation ids', () => {
    expect(doc.openapi).to.equal('3.1.0');
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    for (const ref of refs) expect(doc.components.schemas, ref).to.have.property(ref);
    const ids = routes.map((r) => (doc.paths[r.path] as Record<string, { operationId: string }>)[r.method]!.operationId);
    expect(new Set(ids).size).to.equal(ids.length);
  });
});
