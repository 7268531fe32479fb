/** The orders service's public surface: composition root, config, schema, provisioning, contract. */
export { createOrdersApp, type OrdersAppOverrides } from './create-app.ts';
export { loadOrdersConfig, type OrdersConfig } from './config.ts';
export { applyOrdersSchema, rollbackOrdersSchema, ordersSchemaDirectory } from './db/apply-orders-schema.ts';
export { provisionOrders } from './provision.ts';
export * from './api/orders-api.ts';
export { createLegacyCartClient, type LegacyCart } from './checkout/legacy-cart-client.ts';
export type { CheckoutDeps } from './checkout/checkout-controller.ts';
