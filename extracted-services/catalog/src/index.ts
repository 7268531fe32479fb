/** The catalog service's public surface: composition root, config, schema, provisioning, contract. */
export { createCatalogApp, type CatalogAppOverrides } from './create-app.ts';
export { loadCatalogConfig, type CatalogConfig } from './config.ts';
export { applyCatalogSchema, rollbackCatalogSchema, catalogSchemaDirectory } from './db/apply-catalog-schema.ts';
export { provisionCatalog } from './provision.ts';
export type { StockPort } from './stock/stock-reader-type.ts';
export * from './api/catalog-api.ts';
