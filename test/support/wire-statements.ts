import pg from 'pg';

/**
 * Records the SQL every pg client of this process sends while recording:
 * TypeORM's statements and the prepared hot reads that skip TypeORM
 * (src/database/prepared.ts) alike, as PostgreSQL receives them.
 */
export function wireStatements() {
  const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = client.query;
  let recorded: string[] | null = null;
  client.query = function (this: unknown, ...args: unknown[]): unknown {
    const [first] = args as [string | { text: string }];
    recorded?.push((typeof first === 'string' ? first : first.text).replace(/\s+/g, ' '));
    return Reflect.apply(original, this, args);
  };
  return {
    start(): void {
      recorded = [];
    },
    /** The statements since `start`; recording stops. */
    stop(): string[] {
      const statements = recorded ?? [];
      recorded = null;
      return statements;
    },
    /** Puts pg back as it was. */
    restore(): void {
      client.query = original;
    },
  };
}
