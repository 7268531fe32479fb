import { expect } from 'chai';
import type { Logger } from '@ficus/common/core';
import { createFakeShadowStore } from './fake-shadow-store.ts';
import { createShadowRecorder } from './shadow-recorder.ts';

describe('shadow recorder when its store fails', () => {
  it('warns once per outage (not once per write), counts every dropped write, and says when the store takes writes again', async () => {
    const lines: string[] = [];
    const log = { warn: (_o: unknown, m: string) => { lines.push(`warn ${m}`); }, info: (_o: unknown, m?: string) => { lines.push(`info ${m ?? String(_o)}`); }, debug: () => undefined, error: () => undefined } as unknown as Logger;
    const dropped: string[] = [];
    const store = createFakeShadowStore();
    let down = true;
    const failing = { ...store, addCounts: (...a: Parameters<typeof store.addCounts>) => (down ? Promise.reject(new Error('connect ECONNREFUSED')) : store.addCounts(...a)) };
    const metrics = { storeDropped: (what: string) => { dropped.push(what); }, offer: () => undefined } as unknown as Parameters<typeof createShadowRecorder>[0]['metrics'];
    const recorder = createShadowRecorder({ store: failing, metrics, log, flushMs: 60_000 });
    try {
      for (let i = 0; i < 3; i++) { recorder.counted('r', 'mirrored'); await recorder.flush(); }
      expect(dropped).to.deep.equal(['counts', 'counts', 'counts']);
      down = false;
      recorder.counted('r', 'mirrored');
      await recorder.flush();
      expect((await store.counts()).r).to.include({ mirrored: 1 });
      down = true;
      recorder.counted('r', 'mirrored');
      await recorder.flush();
      expect(lines).to.deep.equal([
        'warn the shadow store fails: results are not stored (counted in ficus_proxy_shadow_store_dropped_total) until it takes writes again',
        'info the shadow store takes writes again',
        'warn the shadow store fails: results are not stored (counted in ficus_proxy_shadow_store_dropped_total) until it takes writes again',
      ]);
    } finally {
      await recorder.close();
    }
  });
});
