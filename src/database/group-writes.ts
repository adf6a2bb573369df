/**
 * Writes items in groups, as databases commit in groups: an item added while
 * no write is running is written at once; items added while one runs wait
 * for it and then go together in the next. When quiet, each item is written
 * on its own without delay; under load, one statement carries many.
 * `add` settles when its item's write has. A group that fails is written
 * again item by item, so an item that cannot be written fails alone.
 */
export class GroupWrites<T> {
  private waiting: { item: T; settle: (error?: Error) => void }[] = [];
  private writing = false;

  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, settle: (error) => (error ? reject(error) : resolve()) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
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
