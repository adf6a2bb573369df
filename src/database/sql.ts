/** `'a', 'b'` for CHECK constraints and `IN (...)` lists built from a module's constant lists. */
export const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
