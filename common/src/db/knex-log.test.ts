import { createServer } from 'node:net';
import { expect } from 'chai';
import knexFactory from 'knex';
import { knexLog } from './knex-log.ts';

describe('knexLog', () => {
  it('drops knex\'s "Acquire connection error" line (the query rejects with the error) and keeps every other warning', async () => {
    const closed = await new Promise<number>((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); }); });
    const printed: unknown[] = [];
    const { warn, log } = console; // knex's own logger prints with console.log
    console.warn = console.log = (...a: unknown[]) => { printed.push(a.join(' ')); };
    const knex = knexFactory({ client: 'mysql2', connection: { host: '127.0.0.1', port: closed, user: 'nobody', password: 'x' }, pool: { min: 0, max: 1 }, log: knexLog });
    try {
      const error = await knex.raw('select 1').then(() => undefined, (e: NodeJS.ErrnoException) => e);
      expect(error?.code).to.equal('ECONNREFUSED');
      knexLog.warn('some other knex warning');
    } finally {
      Object.assign(console, { warn, log });
      await knex.destroy();
    }
    expect(printed).to.deep.equal(['some other knex warning']);
  });
});
