// Test helper: waits for a condition (polling), never for a fixed time; returns the condition's first truthy value.
export async function until<T>(fn: () => T | undefined | null | false | "" | 0, timeoutMs = 8000, pollMs = 10): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
