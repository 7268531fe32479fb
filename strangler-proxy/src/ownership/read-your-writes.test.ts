import { expect } from 'chai';
import { createReadYourWrites } from './read-your-writes.ts';

describe('read your own writes', () => {
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('pins only the writer\'s reads of that unit to the side of the write, until the CDC confirms the position', async () => {
    let applied = false;
    const ended: string[] = [];
    const asked: string[] = [];
    const ryw = createReadYourWrites({
      windowMs: 5_000,
      cdc: {
        position: async () => '0-1-42',
        waitApplied: async (pipeline, position) => { asked.push(`${pipeline}@${position}`); while (!applied) await tick(); return true; },
      },
      onUnpinned: (unit, _ms, how) => ended.push(`${unit}:${how}`),
    });
    ryw.noteWrite('shop', 'u1', 'legacy', 'orders');
    expect(ryw.pinned('shop', 'u1')).to.equal('legacy');
    expect(ryw.pinned('shop', 'u2')).to.equal(undefined);
    expect(ryw.pinned('other', 'u1')).to.equal(undefined);
    await tick();
    expect(asked).to.deep.equal(['orders@0-1-42']);
    applied = true;
    await tick(); await tick();
    expect(ryw.pinned('shop', 'u1')).to.equal(undefined);
    expect(ended).to.deep.equal(['shop:applied']);
  });

  it('unpins after the window when the CDC cannot answer; anonymous writes pin nothing', () => {
    let now = 0;
    const ended: string[] = [];
    const ryw = createReadYourWrites({ windowMs: 1_000, now: () => now, onUnpinned: (u, ms, how) => ended.push(`${u}:${how}:${ms}`) });
    ryw.noteWrite('shop', undefined, 'service', 'legacy');
    expect(ryw.size()).to.equal(0);
    ryw.noteWrite('shop', 'u1', 'service', 'legacy');
    now = 999;
    expect(ryw.pinned('shop', 'u1')).to.equal('service');
    now = 1_001;
    expect(ryw.pinned('shop', 'u1')).to.equal(undefined);
    expect(ended).to.deep.equal(['shop:expired:1001']);
  });
});
