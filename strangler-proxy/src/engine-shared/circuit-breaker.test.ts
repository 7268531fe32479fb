import { expect } from 'chai';
import { CircuitBreaker, type BreakerState } from './circuit-breaker.ts';

describe('CircuitBreaker', () => {
  const make = () => {
    let t = 0;
    const changes: BreakerState[] = [];
    const b = new CircuitBreaker({ failureThreshold: 3, failureRate: 0.5, windowMs: 1000, openMs: 500, now: () => t, onStateChange: (s) => changes.push(s) });
    return { b, changes, advance: (ms: number) => { t += ms; } };
  };

  it('opens once failures reach the threshold and the rate', () => {
    const { b } = make();
    for (let i = 0; i < 4; i++) b.success();
    b.failure(); b.failure();
    expect(b.state).to.equal('closed');
    b.failure(); // 3 of 7: under 50 %
    expect(b.state).to.equal('closed');
    b.failure(); // 4 of 8: 50 %
    expect(b.state).to.equal('open');
    expect(b.allow()).to.equal(false);
  });

  it('forgets failures that left the window', () => {
    const { b, advance } = make();
    b.failure(); b.failure();
    advance(1500);
    b.failure();
    expect(b.state).to.equal('closed');
  });

  it('lets one probe through after the open time; success closes, failure reopens', () => {
    const { b, advance, changes } = make();
    b.failure(); b.failure(); b.failure();
    expect(b.state).to.equal('open');
    advance(499);
    expect(b.allow()).to.equal(false);
    advance(1);
    expect(b.allow()).to.equal(true);
    expect(b.state).to.equal('half-open');
    expect(b.allow()).to.equal(false); // one probe at a time
    b.failure();
    expect(b.state).to.equal('open');
    advance(500);
    expect(b.allow()).to.equal(true);
    b.success();
    expect(b.state).to.equal('closed');
    expect(b.allow()).to.equal(true);
    expect(changes).to.deep.equal(['open', 'half-open', 'open', 'half-open', 'closed']);
  });
});
