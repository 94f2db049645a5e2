/** Polls `check` until it holds; fails after `timeoutMs` (generous: the machine may be busy). */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error('timed out');
}
