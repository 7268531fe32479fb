import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commonErrorCodes } from '../errors/common-error-codes.ts';

/**
 * Where a code surfaces when it does not cross HTTP (the docs' status column shows the same word):
 * `start` a deployable refuses to start; `run` a `./ficus` command or a running process fails with it
 * (printed or logged with the code); `workflow` a Temporal activity or workflow fails with it as an
 * ApplicationFailure type; `dead-letter` a CDC event is parked in the dead-letter topic with it.
 */
export const errorSurfaces = ['start', 'run', 'workflow', 'dead-letter'] as const;
export type ErrorSurface = (typeof errorSurfaces)[number];

/** A package's catalogue: an HTTP status where the code crosses HTTP, else where it surfaces. */
export type ErrorCatalogue = Record<string, { status: number | ErrorSurface; meaning: string }>;

/**
 * The "## Error codes" table of a docs page, and nothing else on it:
 * `| \`CODE\` | status | meaning |` rows → `{ CODE: { status, meaning } }`.
 */
export const documentedErrorCodes = (page: URL): Record<string, { status: string; meaning: string }> => {
  const text = readFileSync(page, 'utf8');
  const start = text.search(/^## Error codes$/m);
  if (start < 0) throw new Error(`${fileURLToPath(page)} has no "## Error codes" section`);
  const next = text.slice(start + 1).search(/^## /m);
  const section = next < 0 ? text.slice(start) : text.slice(start, start + 1 + next);
  return Object.fromEntries([...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| ([^|]+?) \| (.+?) \|$/gm)]
    .map((m) => [m[1]!, { status: m[2]!, meaning: m[3]! }]));
};

/** The catalogue as its docs table reads. */
export const catalogueAsDocumented = (catalogue: ErrorCatalogue): Record<string, { status: string; meaning: string }> =>
  Object.fromEntries(Object.entries(catalogue).map(([code, { status, meaning }]) => [code, { status: String(status), meaning }]));

// The ways a package raises or answers a code: a FicusError or one of its factories
// (`badRequest('X'`, `stackError('X'`…), a Temporal failure type, an object carrying a `code`
// (an error answer, a refusal, a saga outcome), a CDC dead letter.
const raisePatterns = [
  /\b\w*(?:Error|badRequest|notFound|conflict|Failure)\(\s*'([A-Z][A-Z0-9_]+)'/g,
  /\btype: '([A-Z][A-Z0-9_]+)'/g,
  /\bcode: '([A-Z][A-Z0-9_]+)'/g,
  /\bdead\(\s*'([A-Z][A-Z0-9_]+)'/g,
];

const sourceFiles = (dir: string): string[] =>
  (readdirSync(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => !relative(dir, f).split(/[\\/]/).includes('testing'));

/**
 * Every code the non-test source under `srcDir` raises or answers (tests and `testing/` helpers
 * left out), each with the files that do.
 */
export const raisedErrorCodes = (srcDir: URL): Map<string, string[]> => {
  const dir = fileURLToPath(srcDir);
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of raisePatterns) {
      for (const m of text.matchAll(pattern)) {
        const files = found.get(m[1]!) ?? [];
        if (!files.includes(relative(dir, file))) files.push(relative(dir, file));
        found.set(m[1]!, files);
      }
    }
  }
  return found;
};

/**
 * `CODE (file, …)` for each raised code that none of the catalogues lists, nor @ficus/common's (a
 * package re-raises common's codes: validation, config, ownership); empty when all are listed.
 */
export const uncataloguedCodes = (raised: Map<string, string[]>, ...catalogues: Array<Record<string, unknown>>): string[] =>
  [...raised].filter(([code]) => ![...catalogues, commonErrorCodes].some((c) => Object.hasOwn(c, code)))
    .map(([code, files]) => `${code} (${files.join(', ')})`).sort();
