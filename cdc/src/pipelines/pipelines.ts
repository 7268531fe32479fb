import type { TableMapping } from '../apply/table-mapping-type.ts';
import { categoriesToCatalog } from '../mappings/legacy-to-catalog/categories-mapping.ts';
import { productsToCatalog } from '../mappings/legacy-to-catalog/products-mapping.ts';
import { inventoryToStockLevels } from '../mappings/legacy-to-inventory/stock-mapping.ts';

/** One Debezium connector per captured source database. */
export interface ConnectorDecl {
  name: string;
  topicPrefix: string;
  database: string;
  tables: string[];
  serverId: number;
  signalTable: string;
}

/** One applier (consumer group) per target database. */
export interface PipelineDecl {
  name: string;
  direction: 'forward' | 'reverse';
  connector: string;
  targetDatabase: string;
  mappings: TableMapping[];
}

export interface CdcTopology {
  connectors: ConnectorDecl[];
  pipelines: PipelineDecl[];
}

/** The reference migration's sync, as code. Database names can be overridden (tests use their own). */
export const defaultTopology = (db: { legacy: string; catalog: string; inventory: string } = { legacy: 'legacy', catalog: 'svc_catalog', inventory: 'svc_inventory' }, prefix = 'ficus'): CdcTopology => ({
  connectors: [{
    name: `${prefix}-legacy`,
    topicPrefix: `${prefix}-legacy`,
    database: db.legacy,
    tables: ['categories', 'products', 'inventory'],
    serverId: 184_001,
    signalTable: 'cdc_debezium_signal',
  }],
  pipelines: [
    { name: `${prefix}-catalog-forward`, direction: 'forward', connector: `${prefix}-legacy`, targetDatabase: db.catalog, mappings: [categoriesToCatalog(db.legacy), productsToCatalog(db.legacy)] },
    { name: `${prefix}-inventory-forward`, direction: 'forward', connector: `${prefix}-legacy`, targetDatabase: db.inventory, mappings: [inventoryToStockLevels(db.legacy)] },
  ],
});

export const topicOf = (c: ConnectorDecl, table: string) => `${c.topicPrefix}.${c.database}.${table}`;
export const deadLetterTopicOf = (p: PipelineDecl) => `${p.name}.dlq`;
