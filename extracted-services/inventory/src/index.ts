/** The inventory service's public surface: composition root, config, schema, provisioning, contract. */
export { createInventoryApp, type InventoryAppOverrides } from './create-app.ts';
export { loadInventoryConfig, type InventoryConfig } from './config.ts';
export { applyInventorySchema, rollbackInventorySchema, inventorySchemaDirectory } from './db/apply-inventory-schema.ts';
export { provisionInventory } from './provision.ts';
export * from './api/inventory-api.ts';
