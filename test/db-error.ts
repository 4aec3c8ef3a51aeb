// Drizzle wraps driver errors ("Failed query: ..."); the database's own message is the cause.
import { expect } from 'vitest';

export async function expectDbRefusal(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the database should have refused').toBeDefined();
  const chain: string[] = [];
  for (
    let e = error as { message?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    chain.push(String(e.message));
  }
  expect(chain.join(' <- ')).toMatch(pattern);
}
