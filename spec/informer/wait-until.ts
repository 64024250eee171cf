/**
 * Waits for a condition in the informer's loopback specs: polls, never a fixed sleep (a loaded 2-core machine only
 * makes it slower); fails naming what was awaited.
 */
export async function waitUntil(condition: () => boolean, what = 'condition', timeoutMs = 8000, everyMs = 5): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
