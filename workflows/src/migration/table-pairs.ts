import {
  categoriesToCatalog, inventoryToStockLevels, productsToCatalog, type TableMapping,
} from '@ficus/cdc';

/**
 * One mapped column as the parity check sees it: an SQL expression on each side that yields the
 * same string for equal mapped values (numbers as decimal text, DATETIME(3) with six fraction
 * digits, NULL as `\N`, constants where one side has no column).
 */
export interface ParityColumn { name: string; legacy: string; service: string }

/** A legacy table, the service table the sync maps it to, and how to compare them. */
export interface TablePairSpec {
  /** The CDC mapping module's name (what a migration config names). */
  mapping: string;
  domain: 'catalog' | 'inventory';
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
});

export const tablePairNames = Object.keys(tablePairs);
