import {
  adjustmentsToStockAdjustments, categoriesToCatalog, inventoryToStockLevels, orderItemsToOrders, ordersToOrders, paymentsToOrders, productsToCatalog, type TableMapping,
  type Domain,
} from '@ficus/cdc';

/**
 * One mapped column as the parity check sees it: an SQL expression on each side that yields the
 * same string for equal mapped values (numbers as decimal text, DATETIME(3) with six fraction
 * digits, NULL as `\N`, constants where one side has no column).
 */
export interface ParityColumn { name: string; legacy: string; service: string }

/** A legacy table, the service table the sync maps it to, and how to compare them. */
export interface TablePairSpec {
  /** The CDC mapping module's name (what a migration declaration names). */
  mapping: string;
  domain: Domain;
  /** Rows of the service table the comparison leaves out (SQL condition), e.g. a saga's unfinished orders, which legacy never holds. */
  serviceWhere?: (serviceDb: string) => string;
  /** Rows of the legacy table left out likewise, e.g. items of a saga order that never became an order in legacy. */
  legacyWhere?: (legacyDb: string) => string;
  /** Other tables `legacyWhere` and `serviceWhere` read, on each side (the worker's user is granted SELECT on them). */
  whereReads?: { legacy?: readonly string[]; service?: readonly string[] };
  legacyTable: string;
  serviceTable: string;
  /** Single-column integer primary key on each side (same values: the sync keeps ids). */
  legacyKey: string;
  serviceKey: string;
  columns: ParityColumn[];
  /** The forward mapping (legacy → service), for the chunked copy. */
  forward(legacyDb: string): TableMapping;
}

const int = (c: string, s = c): ParityColumn => ({ name: c, legacy: `CAST(\`${c}\` AS CHAR)`, service: `CAST(\`${s}\` AS CHAR)` });
const text = (c: string): ParityColumn => ({ name: c, legacy: `COALESCE(\`${c}\`, '\\\\N')`, service: `COALESCE(\`${c}\`, '\\\\N')` });
const time = (c: string): ParityColumn => ({ name: c, legacy: `DATE_FORMAT(\`${c}\`, '%Y-%m-%d %H:%i:%s.%f')`, service: `DATE_FORMAT(\`${c}\`, '%Y-%m-%d %H:%i:%s.%f')` });

/** Every table pair the reference migration knows, keyed by mapping name. */
export const tablePairs: Readonly<Record<string, TablePairSpec>> = Object.freeze({
  productsToCatalog: {
    mapping: 'productsToCatalog', domain: 'catalog', legacyTable: 'products', serviceTable: 'products', legacyKey: 'id', serviceKey: 'id',
    columns: [
      int('id'), text('sku'), text('name'), text('description'), int('category_id'), int('price_cents'),
      // the monolith prices in EUR implicitly; the service stores it
      { name: 'currency', legacy: `'EUR'`, service: '`currency`' },
      time('created_at'), time('updated_at'),
    ],
    forward: (db) => productsToCatalog(db),
  },
  categoriesToCatalog: {
    mapping: 'categoriesToCatalog', domain: 'catalog', legacyTable: 'categories', serviceTable: 'categories', legacyKey: 'id', serviceKey: 'id',
    // the service's updated_at has no legacy column: not compared
    columns: [int('id'), text('slug'), text('name'), time('created_at')],
    forward: (db) => categoriesToCatalog(db),
  },
  inventoryToStockLevels: {
    mapping: 'inventoryToStockLevels', domain: 'inventory', legacyTable: 'inventory', serviceTable: 'stock_levels', legacyKey: 'product_id', serviceKey: 'product_id',
    // reserved belongs to the service (holds) and has no legacy column
    columns: [int('product_id'), { name: 'quantity', legacy: 'CAST(`quantity` AS CHAR)', service: 'CAST(`on_hand` AS CHAR)' }, time('updated_at')],
    forward: (db) => inventoryToStockLevels(db),
  },
  adjustmentsToStockAdjustments: {
    mapping: 'adjustmentsToStockAdjustments', domain: 'inventory', legacyTable: 'inventory_adjustments', serviceTable: 'stock_adjustments', legacyKey: 'id', serviceKey: 'id',
    columns: [int('id'), int('product_id'), int('delta'), { name: 'quantity_after', legacy: 'CAST(`quantity_after` AS CHAR)', service: 'CAST(`on_hand_after` AS CHAR)' }, text('reason'), { name: 'admin_user_id', legacy: "COALESCE(CAST(`admin_user_id` AS CHAR), '\\\\N')", service: "COALESCE(CAST(`admin_user_id` AS CHAR), '\\\\N')" }, time('created_at')],
    forward: (db) => adjustmentsToStockAdjustments(db),
  },
  ordersToOrders: {
    mapping: 'ordersToOrders', domain: 'orders', legacyTable: 'orders', serviceTable: 'orders', legacyKey: 'id', serviceKey: 'id',
    // the customer snapshot has no legacy column (the monolith joins users): not compared
    columns: [int('id'), int('user_id'), text('status'), int('total_cents'), time('created_at'), time('updated_at'), { name: 'cancelled_at', legacy: "COALESCE(DATE_FORMAT(`cancelled_at`, '%Y-%m-%d %H:%i:%s.%f'), '\\\\N')", service: "COALESCE(DATE_FORMAT(`cancelled_at`, '%Y-%m-%d %H:%i:%s.%f'), '\\\\N')" }],
    serviceWhere: () => "`status` IN ('paid', 'cancelled')",
    forward: (db) => ordersToOrders(db),
  },
  orderItemsToOrders: {
    mapping: 'orderItemsToOrders', domain: 'orders', legacyTable: 'order_items', serviceTable: 'order_items', legacyKey: 'id', serviceKey: 'id',
    columns: [int('id'), int('order_id'), int('product_id'), int('quantity'), int('unit_price_cents')],
    // the items of a saga's unfinished order: in the service under a pending or failed order, in
    // legacy without an order (the reverse sync copies items as they are written, before the saga
    // decides); neither side shows them to anyone, so neither is compared
    serviceWhere: (db) => `\`order_id\` IN (SELECT \`id\` FROM \`${db}\`.\`orders\` WHERE \`status\` IN ('paid', 'cancelled'))`,
    legacyWhere: (db) => `\`order_id\` IN (SELECT \`id\` FROM \`${db}\`.\`orders\`)`,
    whereReads: { legacy: ['orders'], service: ['orders'] },
    forward: (db) => orderItemsToOrders(db),
  },
  paymentsToOrders: {
    mapping: 'paymentsToOrders', domain: 'orders', legacyTable: 'payments', serviceTable: 'order_payments', legacyKey: 'id', serviceKey: 'id',
    columns: [int('id'), int('order_id'), text('kind'), text('status'), int('amount_cents'), text('gateway_ref'), time('created_at')],
    forward: (db) => paymentsToOrders(db),
  },
});

export const tablePairNames = Object.keys(tablePairs);
