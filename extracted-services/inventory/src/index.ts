/** The inventory service's public surface: composition root, config, migrations, provisioning, contract. */
export { createInventoryApp, type InventoryAppOverrides } from './create-app.ts';
export { loadInventoryConfig, type InventoryConfig } from './config.ts';
export { migrateInventory, rollbackInventory, inventoryMigrationsDirectory } from './db/migrate-inventory.ts';
export { provisionInventory } from './provision.ts';
export * from './api/inventory-api.ts';
