import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FicusError } from '@ficus/common/core';
import { modes } from '../decision/mode.ts';
import { modeStrategy } from './mode-strategy.ts';

/**
 * The flag bootstrap file: the state used before Unleash first answers (and if it never does).
 * `{ "flags": { "ficus.route.catalog": { "mode": "legacy" }, "ficus.route.orders": { "mode": "canary", "percent": 5 } } }`
 */
export const flagBootstrapSchema = z.strictObject({
  $schema: z.string().optional(),
  flags: z.record(
    z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'expected an Unleash flag name'),
    z.strictObject({
      mode: z.enum(modes, { error: `expected one of ${modes.join(', ')}` }),
      percent: z.number({ error: 'expected a number 0–100' }).min(0, 'expected a number 0–100').max(100, 'expected a number 0–100').default(100),
    }),
  ),
});
export type FlagBootstrap = z.infer<typeof flagBootstrapSchema>;

/** Unleash client features (the shape of `/api/client/features`) for a bootstrap. */
export const bootstrapFeatures = (b: FlagBootstrap) =>
  Object.entries(b.flags).map(([name, { mode, percent }]) => ({
    name,
    enabled: mode !== 'legacy',
    strategies: mode === 'legacy' ? [] : [modeStrategy(name, mode, percent)],
  }));

const invalid = (file: string, problems: string[]) =>
  new FicusError('FLAG_BOOTSTRAP_INVALID', `invalid flag bootstrap file\n  ${problems.join('\n  ')}`, { details: { source: file, problems } });

export const parseFlagBootstrap = (input: unknown, file: string): FlagBootstrap => {
  const r = flagBootstrapSchema.safeParse(input);
  if (!r.success) {
    throw invalid(file, r.error.issues.map((i) => {
      const where = i.path.length ? i.path.join('.') : '(root)';
      const message = i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}` : i.message;
      return `${file}: ${where}: ${message}`;
    }));
  }
  return r.data;
};

export const loadFlagBootstrap = (file: string): FlagBootstrap => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw invalid(file, [`${file}: cannot read the flag bootstrap file: ${(e as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid(file, [`${file}: expected valid JSON: ${(e as Error).message}`]);
  }
  return parseFlagBootstrap(json, file);
};
