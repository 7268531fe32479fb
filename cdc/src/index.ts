export * from './connectors/debezium-config.ts';
export * from './connectors/connect-client.ts';
