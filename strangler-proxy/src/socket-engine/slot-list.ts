/** An item that remembers where it sits in its `SlotList` (-1: in none). */
export interface Slotted {
  slot: number;
}

/**
 * Items added and removed in O(1) without a hash table: removal moves the last item into the hole.
 * PERF/GC: a `Set` churned once per request or connection makes V8 rebuild its table again and
 * again, and each discarded table keeps a pointer to its successor. Once one discarded table has
 * reached the old generation, every later table, and what it holds, survives young-generation GCs
 * (see decision 0012). An array only drops references.
 */
export class SlotList<T extends Slotted> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  add(item: T): void {
    if (item.slot >= 0) return;
    item.slot = this.items.length;
    this.items.push(item);
  }

  remove(item: T): void {
    const i = item.slot;
    if (i < 0 || this.items[i] !== item) return;
    const last = this.items.pop()!;
    if (last !== item) {
      this.items[i] = last;
      last.slot = i;
    }
    item.slot = -1;
  }

  /** Visits every item, last first, so `fn` may remove the item it is given. */
  forEach(fn: (item: T) => void): void {
    for (let i = this.items.length - 1; i >= 0; i--) {
      const item = this.items[i];
      if (item) fn(item);
    }
  }
}
