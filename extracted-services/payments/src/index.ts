/** The payments service's public surface: composition root, config, schema, provisioning, contract. */
export { createPaymentsApp, type PaymentsAppOverrides } from './create-app.ts';
export { loadPaymentsConfig, type PaymentsConfig } from './config.ts';
export { applyPaymentsSchema, rollbackPaymentsSchema, paymentsSchemaDirectory } from './db/apply-payments-schema.ts';
export { provisionPayments } from './provision.ts';
export { createSimulatedGateway, type SimulatedGatewayOptions } from './gateway/simulated-gateway.ts';
export type { PaymentGateway } from './gateway/payment-gateway.ts';
export * from './api/payments-api.ts';
