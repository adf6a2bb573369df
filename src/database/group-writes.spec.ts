import { GroupWrites } from './group-writes.js';

/** Writes that record their groups; the first write lasts until `finishFirst()`. */
function slowFirstWrite(gatherMs?: number) {
  const groups: number[][] = [];
  let finish!: () => void;
  const writes = new GroupWrites<number>(async (items) => {
    groups.push(items);
    if (groups.length === 1) await new Promise<void>((resolve) => (finish = resolve));
  }, gatherMs);
  return { writes, groups, finishFirst: () => finish() };
}

describe('GroupWrites', () => {
  it('writes an item at once when idle; those added during a write go together next', async () => {
    const { writes, groups, finishFirst } = slowFirstWrite();

    const first = writes.add(1);
    const later = [writes.add(2), writes.add(3), writes.add(4)];
    expect(groups).toEqual([[1]]);
    finishFirst();
    await Promise.all([first, ...later]);
    expect(groups).toEqual([[1], [2, 3, 4]]);

    await writes.add(5);
    expect(groups).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('a group that fails is written again item by item: only the item that cannot be written fails', async () => {
    const written: number[][] = [];
    const writes = new GroupWrites<number>((items) => {
      if (items.includes(2)) return Promise.reject(new Error('value out of range'));
      written.push(items);
      return Promise.resolve();
    });

    const [one, two, three] = [writes.add(1), writes.add(2), writes.add(3)];
    await expect(one).resolves.toBeUndefined();
    await expect(two).rejects.toThrow('value out of range');
    await expect(three).resolves.toBeUndefined();
    await writes.add(4);
    expect(written).toEqual([[1], [3], [4]]);
  });

  describe('with a gathering time', () => {
    it('writes the items added within it together, and no item later than that when idle', async () => {
      const groups: { items: number[]; afterMs: number }[] = [];
      const started = performance.now();
      const writes = new GroupWrites<number>((items) => {
        groups.push({ items, afterMs: performance.now() - started });
        return Promise.resolve();
      }, 40);

      const first = writes.add(1);
      await new Promise((resolve) => setTimeout(resolve, 10));
      const second = writes.add(2);
      expect(groups).toEqual([]);
      await Promise.all([first, second]);
      expect(groups.map((group) => group.items)).toEqual([[1, 2]]);
      // Timers may fire a little early or late; the group went when its first had waited 40 ms.
      expect(groups[0].afterMs).toBeGreaterThanOrEqual(35);
      expect(groups[0].afterMs).toBeLessThan(200);

      await writes.add(3);
      expect(groups.map((group) => group.items)).toEqual([[1, 2], [3]]);
    });

    it('items that waited for a slow write as long as the gathering time go at once after it', async () => {
      const { writes, groups, finishFirst } = slowFirstWrite(20);

      const first = writes.add(1);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(groups).toEqual([[1]]);
      const later = [writes.add(2), writes.add(3)];
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(groups).toEqual([[1]]);
      finishFirst();
      await first;
      // Written without another 20 ms: the next macrotask is enough to see it.
      await new Promise((resolve) => setImmediate(resolve));
      expect(groups).toEqual([[1], [2, 3]]);
      await Promise.all(later);
    });
  });
});
