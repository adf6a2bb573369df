/**
 * Writes items in groups, as databases commit in groups. A group is written
 * `gatherMs` after its first item was added (at once with 0), so items
 * arriving close together share a statement and a commit; items added while
 * a write runs wait for it, and go next without further delay if their first
 * has already waited that long. An item is thus written within gatherMs, or
 * within the write before it if that takes longer. `add` settles when its
 * item's write has. A group that fails is written again item by item, so an
 * item that cannot be written fails alone.
 */
export class GroupWrites<T> {
  private waiting: { item: T; settle: (error?: Error) => void }[] = [];
  /** When the first of `waiting` was added (performance.now()). */
  private firstAddedAt = 0;
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly gatherMs = 0,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.waiting.length === 0) this.firstAddedAt = performance.now();
      this.waiting.push({ item, settle: (error) => (error ? reject(error) : resolve()) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const wait = this.firstAddedAt + this.gatherMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const group = this.waiting;
      this.waiting = [];
      const failure = await this.attempt(group.map((entry) => entry.item));
      if (!failure || group.length === 1) {
        for (const entry of group) entry.settle(failure);
        continue;
      }
      for (const entry of group) entry.settle(await this.attempt([entry.item]));
    }
    this.writing = false;
  }

  /** Writes the items; answers the error, if any. */
  private attempt(items: T[]): Promise<Error | undefined> {
    return this.write(items).then(
      () => undefined,
      (failure: unknown) => (failure instanceof Error ? failure : new Error(String(failure))),
    );
  }
}
