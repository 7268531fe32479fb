import { FicusError, otherSide, proxiesQuiet, type OwnerSide, type OwnershipPort } from '@ficus/common/core';
import type { Domain } from '@ficus/cdc';
import type { QuiesceCheck } from '../migration-declaration.ts';

/**
 * The write switch (docs/components/write-ownership.md): moves one ownership unit's writes from one
 * side to the other with nothing lost or written twice.
 *
 * 1. lag gate: the sync from the owner to the other side is within the bound, else refused;
 * 2. the other direction is turned on first (its connectors stream from now on; each side drops
 *    the other's echoes), so nothing the new owner writes can be missed;
 * 3. hold: the proxies hold the unit's writes (bounded: each has a deadline, then a retriable 503);
 * 4. every live proxy reports the hold with no write of the unit in flight;
 * 5. the owner's binlog position is read, and the sync waits until it has applied it (exact, by
 *    GTID position, not a timer);
 * 6. flip: the new owner is recorded (only before the hold's deadline, else the switch reverts);
 *    the proxies release the held writes to it;
 * 7. the old direction is turned off.
 * Rollback is the same function with `to` the other way. Every step can be repeated: a switch
 * whose worker died finds its own hold, reverts it and starts again; a finished one is a no-op.
 */
export type SyncDomainName = Domain;

export interface SwitchPorts {
  ownership: OwnershipPort;
  sync: {
    setDirections(domain: SyncDomainName, d: { forward: boolean; reverse: boolean }): Promise<void>;
    lag(domain: SyncDomainName, direction: 'forward' | 'reverse'): Promise<{ events: number | null; seconds: number | null }>;
  };
  positions: {
    /** The source's GTID position now. */
    current(): Promise<string>;
    /** Whether the pipeline (a domain's forward pipeline, or `legacy` for the reverse one) has applied it. */
    applied(pipeline: string, position: string): Promise<boolean>;
  };
  /** What is still running on a side (rows the quiesce checks count), described; empty when quiet. */
  outstanding?(checks: readonly QuiesceCheck[]): Promise<string[]>;
  /** Called between steps (the activity heartbeats). */
  progress?(what: string): void;
  sleep?(ms: number): Promise<void>;
}

export interface SwitchRequest {
  unit: string;
  to: OwnerSide;
  /** The CDC domains whose tables the unit holds. */
  domains: readonly SyncDomainName[];
  /** Identifies this switch in the store (a retried activity is the same switch). */
  by: string;
  /** Refuse when the sync towards the new owner is further behind than this (events). */
  maxLagEvents: number;
  /** How long the proxies hold the unit's writes at most; past it the switch reverts. */
  holdMs: number;
  /** A proxy silent for longer than this is not waited for (it stopped serving the unit's writes by itself). */
  proxyLiveMs: number;
  /** Work that must finish on the side the writes leave (a saga past its HTTP answer) before the position is read. */
  quiesce?: readonly QuiesceCheck[];
}

export type { QuiesceCheck };

export interface SwitchOutcome {
  unit: string;
  from: OwnerSide;
  to: OwnerSide;
  /** `switched`, or `already` when the unit was owned by `to` already. */
  result: 'switched' | 'already';
  /** Milliseconds the unit's writes were held (hold → flip recorded). */
  heldMs: number;
  position: string | null;
  steps: Array<{ step: string; ms: number }>;
}

/** Time past the hold's deadline the flip keeps as margin (proxies follow the store every ~100 ms). */
const FLIP_MARGIN_MS = 300;

const directionsFor = (owner: OwnerSide) => ({ forward: owner === 'legacy', reverse: owner === 'service' });

export const switchOwnership = async (p: SwitchPorts, r: SwitchRequest): Promise<SwitchOutcome> => {
  const sleep = p.sleep ?? ((ms: number) => new Promise<void>((res) => setTimeout(res, ms)));
  const from = otherSide(r.to);
  const steps: SwitchOutcome['steps'] = [];
  let t = Date.now();
  const mark = (step: string) => { const now = Date.now(); steps.push({ step, ms: now - t }); t = now; p.progress?.(step); };

  let cur = await p.ownership.get(r.unit);
  if (cur.state === 'holding' && cur.by === r.by) {
    // this switch ran before and its worker died while holding: revert, then start again
    cur = await p.ownership.release(r.unit, cur.owner, r.by, 'reverted: the switch was interrupted and starts again');
    mark('reverted an interrupted hold');
  }
  if (cur.owner === r.to && cur.state === 'steady') {
    for (const d of r.domains) await p.sync.setDirections(d, directionsFor(r.to));
    mark('already owned; sync directions confirmed');
    return { unit: r.unit, from, to: r.to, result: 'already', heldMs: 0, position: null, steps };
  }
  if (cur.state === 'holding') throw new FicusError('OWNERSHIP_SWITCH_IN_PROGRESS', `unit ${r.unit} is held by another switch (${cur.by})`, { retriable: true });

  // 1. lag gate on the direction that must drain during the hold
  const drainDirection = r.to === 'service' ? 'forward' : 'reverse';
  for (const d of r.domains) {
    const lag = await p.sync.lag(d, drainDirection);
    if (lag.events !== null && lag.events > r.maxLagEvents) {
      throw new FicusError('SWITCH_LAG_TOO_HIGH', `unit ${r.unit}: the ${d} sync towards ${r.to} is ${lag.events} events behind (bound ${r.maxLagEvents}): the switch is refused, nothing was held`, { retriable: true, details: { domain: d, events: lag.events } });
    }
  }
  mark('lag gate');

  // 2. both directions: the new owner's changes are captured from before its first write
  for (const d of r.domains) await p.sync.setDirections(d, { forward: true, reverse: true });
  const drainPipelines = r.to === 'service' ? [...r.domains] : ['legacy'];
  const reversePipelines = r.to === 'service' ? ['legacy'] : [...r.domains];
  const armedAt = await p.positions.current();
  for (const pl of reversePipelines) {
    // the way back streams past now: the connectors of the new owner's side have started
    const deadline = Date.now() + 60_000;
    while (!(await p.positions.applied(pl, armedAt))) {
      if (Date.now() > deadline) throw new FicusError('SWITCH_SYNC_NOT_READY', `unit ${r.unit}: the ${pl} sync did not start streaming within 60 s; nothing was held`, { retriable: true });
      await sleep(100);
    }
  }
  mark('both directions on');

  // 3. hold
  const held = await p.ownership.hold(r.unit, from, r.holdMs, r.by);
  const heldAt = Date.now();
  const holdUntil = held.holdUntil!;
  const revert = async (why: string): Promise<never> => {
    await p.ownership.release(r.unit, from, r.by, `reverted: ${why}`);
    throw new FicusError('SWITCH_REVERTED', `unit ${r.unit} stays on ${from}: ${why}`, { retriable: true, details: { unit: r.unit } });
  };
  mark('hold');

  // 4. no write of the unit in flight anywhere
  for (;;) {
    const q = proxiesQuiet(await p.ownership.proxies(), r.unit, held.version, Date.now(), r.proxyLiveMs);
    if (q.quiet) break;
    if (Date.now() > holdUntil - FLIP_MARGIN_MS) await revert(`proxies ${q.waitingFor.join(', ')} did not report the hold with no write in flight before its deadline`);
    await sleep(20);
  }
  mark('proxies quiet');

  // 4b. nothing still writing behind an answered request (a saga past its wait bound)
  const checks = (r.quiesce ?? []).filter((c) => c.side === from);
  if (checks.length) {
    if (!p.outstanding) throw new FicusError('SWITCH_QUIESCE_UNAVAILABLE', `unit ${r.unit} declares quiesce checks but this worker cannot run them`);
    for (;;) {
      const left = await p.outstanding(checks);
      if (!left.length) break;
      if (Date.now() > holdUntil - FLIP_MARGIN_MS) await revert(`still running on ${from} at the hold's deadline: ${left.join('; ')}`);
      await sleep(20);
    }
    mark('work finished');
  }

  // 5. the old owner's position, applied by the sync towards the new owner
  const position = await p.positions.current();
  for (const pl of drainPipelines) {
    while (!(await p.positions.applied(pl, position))) {
      if (Date.now() > holdUntil - FLIP_MARGIN_MS) await revert(`the ${pl} sync had not applied ${position} before the hold's deadline`);
      await sleep(20);
    }
  }
  mark('sync drained');

  // 6. flip
  if (Date.now() > holdUntil - FLIP_MARGIN_MS) await revert('the hold reached its deadline before the flip');
  await p.ownership.release(r.unit, r.to, r.by, `switched ${from} → ${r.to} at ${position}`);
  const heldMs = Date.now() - heldAt;
  mark('flip');

  // 7. only the new owner's direction
  for (const d of r.domains) await p.sync.setDirections(d, directionsFor(r.to));
  mark('old direction off');
  return { unit: r.unit, from, to: r.to, result: 'switched', heldMs, position, steps };
};
