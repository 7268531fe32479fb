import { expect } from 'chai';
import { isFicusError } from '@ficus/common';
import { covers, formatGtidPosition, parseGtidPosition, partitionThrough } from './gtid-position.ts';

describe('GTID positions', () => {
  it('parses @@gtid_binlog_pos, keeping the highest sequence per domain', () => {
    expect([...parseGtidPosition('0-1-500,9-1-30')]).to.deep.equal([[0, 500], [9, 30]]);
    expect([...parseGtidPosition(' 0-1-5 , 0-2-7 ')]).to.deep.equal([[0, 7]]);
    expect(parseGtidPosition('').size).to.equal(0);
    expect(formatGtidPosition(parseGtidPosition('0-1-500,9-1-30'))).to.equal('0-1-500,9-1-30');
  });

  it('rejects anything else with a stable code', () => {
    for (const bad of ['0-1', 'abc', '0-1-2;drop', '0-1-2,x']) {
      let err: unknown;
      try { parseGtidPosition(bad); } catch (e) { err = e; }
      expect(isFicusError(err) && err.code).to.equal('CDC_POSITION_INVALID');
    }
  });

  it('a connector offset covers a position when every domain is reached', () => {
    const reached = parseGtidPosition('0-1-500,9-1-30');
    expect(covers(reached, parseGtidPosition('0-1-500'))).to.equal(true);
    expect(covers(reached, parseGtidPosition('0-1-499,9-1-30'))).to.equal(true);
    expect(covers(reached, parseGtidPosition('0-1-501'))).to.equal(false);
    expect(covers(reached, parseGtidPosition('0-1-1,7-1-1'))).to.equal(false);
    expect(covers(reached, parseGtidPosition(''))).to.equal(true);
  });

  it('a partition is through a position when drained, or past it in one domain', () => {
    const pos = parseGtidPosition('0-1-500,9-1-30');
    expect(partitionThrough(pos, { nextOffset: 10n, highWatermark: 10n, lastGtid: null })).to.equal(true);
    expect(partitionThrough(pos, { nextOffset: undefined, highWatermark: 0n, lastGtid: null })).to.equal(true);
    expect(partitionThrough(pos, { nextOffset: 5n, highWatermark: 10n, lastGtid: '0-1-501' })).to.equal(true);
    expect(partitionThrough(pos, { nextOffset: 5n, highWatermark: 10n, lastGtid: '9-1-31' })).to.equal(true);
    // equal is not enough: a transaction of another domain may have committed after it
    expect(partitionThrough(pos, { nextOffset: 5n, highWatermark: 10n, lastGtid: '0-1-500' })).to.equal(false);
    expect(partitionThrough(pos, { nextOffset: 5n, highWatermark: 10n, lastGtid: '0-1-400' })).to.equal(false);
    expect(partitionThrough(parseGtidPosition('0-1-500'), { nextOffset: 5n, highWatermark: 10n, lastGtid: '0-1-500' })).to.equal(true);
    expect(partitionThrough(pos, { nextOffset: 5n, highWatermark: 10n, lastGtid: '3-1-900' })).to.equal(false);
    expect(partitionThrough(pos, { nextOffset: undefined, highWatermark: 10n, lastGtid: null })).to.equal(false);
  });
});
