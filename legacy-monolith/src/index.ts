/** The monolith's public surface for the CLI, tests and tooling. Services must not import from here. */
export { createApp, type AppOverrides } from './create-app.ts';
export { loadConfig, testConfig, type LegacyConfig } from './config.ts';
export { applyLegacySchema, rollbackLegacySchema, legacySchemaDirectory } from './db/apply-legacy-schema.ts';
export { provisionLegacy, type LegacyProvisionOptions } from './db/provision-legacy.ts';
export { legacyGrants, type LegacyGrant } from './db/legacy-grants.ts';
export { seedLegacy, type SeedOptions, type SeedProgress, type SeedResult } from './seed/seed-legacy.ts';
export { seedProfiles, type SeedProfile, type SeedProfileName } from './seed/seed-profiles.ts';
export { errorCatalogue, type ErrorCode } from './errors.ts';
export { buildOpenApiDocument } from './contract/openapi-document.ts';
export type { PaymentGateway } from './orders/payment-gateway.ts';
