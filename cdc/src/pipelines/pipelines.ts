import type { TableMapping } from '../apply/table-mapping-type.ts';
import { categoriesToCatalog } from '../mappings/legacy-to-catalog/categories-mapping.ts';
import { productsToCatalog } from '../mappings/legacy-to-catalog/products-mapping.ts';
import { inventoryToStockLevels } from '../mappings/legacy-to-inventory/stock-mapping.ts';
import { catalogCategoriesToLegacy } from '../mappings/catalog-to-legacy/categories-mapping.ts';
import { catalogProductsToLegacy } from '../mappings/catalog-to-legacy/products-mapping.ts';
import { stockLevelsToLegacy } from '../mappings/inventory-to-legacy/stock-mapping.ts';
import { adjustmentsToStockAdjustments } from '../mappings/legacy-to-inventory/adjustments-mapping.ts';
import { stockAdjustmentsToLegacy } from '../mappings/inventory-to-legacy/adjustments-mapping.ts';
import { ordersToOrders } from '../mappings/legacy-to-orders/orders-mapping.ts';
import { orderItemsToOrders } from '../mappings/legacy-to-orders/order-items-mapping.ts';
import { paymentsToOrders } from '../mappings/legacy-to-orders/payments-mapping.ts';
import { ordersToLegacy } from '../mappings/orders-to-legacy/orders-mapping.ts';
import { orderItemsToLegacy } from '../mappings/orders-to-legacy/order-items-mapping.ts';
import { orderPaymentsToLegacy } from '../mappings/orders-to-legacy/payments-mapping.ts';

/** One Debezium connector per captured source database. */
export interface ConnectorDecl {
  name: string;
  topicPrefix: string;
  database: string;
  tables: string[];
  serverId: number;
  signalTable: string;
  /** Forward connectors load history (initial); reverse ones start from now (legacy has the history). */
  snapshotMode: 'initial' | 'no_data';
}

/** A source table (through its connector) applied with one mapping. */
export interface StreamDecl {
  connector: string;
  mapping: TableMapping;
}

/** One applier (kafkajs consumer group) per target database. */
export interface PipelineDecl {
  name: string;
  direction: 'forward' | 'reverse';
  targetDatabase: string;
  streams: StreamDecl[];
}

export interface CdcTopology {
  connectors: ConnectorDecl[];
  pipelines: PipelineDecl[];
}

/** `orders` is optional: a topology without it syncs catalog and inventory only (older tests). */
export interface Databases { legacy: string; catalog: string; inventory: string; orders?: string }
export const domains = ['catalog', 'inventory', 'orders'] as const;
export type Domain = (typeof domains)[number];
/**
 * Which way each domain syncs. Forward (legacy → service) while legacy owns the domain's writes;
 * reverse (service → legacy) after the write cutover; both for the moment of the switch (safe:
 * each side drops the other's echoes).
 */
export type Direction = { forward: boolean; reverse: boolean };
export type Directions = Record<'catalog' | 'inventory', Direction> & { orders?: Direction };
export const forwardOnly: Directions = { catalog: { forward: true, reverse: false }, inventory: { forward: true, reverse: false }, orders: { forward: true, reverse: false } };

const defaultDatabases: Databases = { legacy: 'legacy', catalog: 'svc_catalog', inventory: 'svc_inventory', orders: 'svc_orders' };

/** The reference migration's sync, as code. Database names can be overridden (tests use their own). */
/** `serverIdBase`: Debezium server ids are base+1…3; each must be unique on the MariaDB server (tests pass their own). */
export const defaultTopology = (db: Databases = defaultDatabases, prefix = 'ficus', directions: Directions = forwardOnly, serverIdBase = 184_000): CdcTopology => {
  const connector = (name: string, database: string, tables: string[], serverId: number, snapshotMode: ConnectorDecl['snapshotMode']): ConnectorDecl =>
    ({ name: `${prefix}-${name}`, topicPrefix: `${prefix}-${name}`, database, tables, serverId, signalTable: 'cdc_debezium_signal', snapshotMode });
  const orders = db.orders ? (directions.orders ?? forwardOnly.orders!) : { forward: false, reverse: false };
  const legacyTables = [
    ...(directions.catalog.forward ? ['categories', 'products'] : []),
    ...(directions.inventory.forward ? ['inventory', 'inventory_adjustments'] : []),
    ...(orders.forward ? ['orders', 'order_items', 'payments'] : []),
  ];
  const connectors = [
    ...(legacyTables.length ? [connector('legacy', db.legacy, legacyTables, serverIdBase + 1, 'initial')] : []),
    ...(directions.catalog.reverse ? [connector('catalog', db.catalog, ['categories', 'products'], serverIdBase + 2, 'no_data')] : []),
    ...(directions.inventory.reverse ? [connector('inventory', db.inventory, ['stock_levels', 'stock_adjustments'], serverIdBase + 3, 'no_data')] : []),
    ...(orders.reverse ? [connector('orders', db.orders!, ['orders', 'order_items', 'order_payments'], serverIdBase + 4, 'no_data')] : []),
  ];
  const pipelines: PipelineDecl[] = [];
  if (directions.catalog.forward) {
    pipelines.push({ name: `${prefix}-catalog-forward`, direction: 'forward', targetDatabase: db.catalog, streams: [categoriesToCatalog(db.legacy), productsToCatalog(db.legacy)].map((mapping) => ({ connector: `${prefix}-legacy`, mapping })) });
  }
  if (directions.inventory.forward) {
    pipelines.push({ name: `${prefix}-inventory-forward`, direction: 'forward', targetDatabase: db.inventory, streams: [inventoryToStockLevels(db.legacy), adjustmentsToStockAdjustments(db.legacy)].map((mapping) => ({ connector: `${prefix}-legacy`, mapping })) });
  }
  if (orders.forward) {
    pipelines.push({ name: `${prefix}-orders-forward`, direction: 'forward', targetDatabase: db.orders!, streams: [ordersToOrders(db.legacy), orderItemsToOrders(db.legacy), paymentsToOrders(db.legacy)].map((mapping) => ({ connector: `${prefix}-legacy`, mapping })) });
  }
  const reverse: StreamDecl[] = [
    ...(directions.catalog.reverse ? [catalogCategoriesToLegacy(db.catalog), catalogProductsToLegacy(db.catalog)].map((mapping) => ({ connector: `${prefix}-catalog`, mapping })) : []),
    ...(directions.inventory.reverse ? [stockLevelsToLegacy(db.inventory), stockAdjustmentsToLegacy(db.inventory)].map((mapping) => ({ connector: `${prefix}-inventory`, mapping })) : []),
    ...(orders.reverse ? [ordersToLegacy(db.orders), orderItemsToLegacy(db.orders), orderPaymentsToLegacy(db.orders)].map((mapping) => ({ connector: `${prefix}-orders`, mapping })) : []),
  ];
  if (reverse.length) pipelines.push({ name: `${prefix}-legacy-reverse`, direction: 'reverse', targetDatabase: db.legacy, streams: reverse });
  return { connectors, pipelines };
};

export const topicOf = (c: ConnectorDecl, table: string) => `${c.topicPrefix}.${c.database}.${table}`;
/** The topic a stream reads: its connector's topic for the mapping's source table. */
export const streamTopic = (t: CdcTopology, s: StreamDecl) => {
  const c = t.connectors.find((x) => x.name === s.connector);
  if (!c) throw new Error(`stream ${s.mapping.sourceTable} names an unknown connector ${s.connector}`);
  return topicOf(c, s.mapping.sourceTable.split('.')[1]!);
};
export const deadLetterTopicOf = (p: PipelineDecl) => `${p.name}.dlq`;
