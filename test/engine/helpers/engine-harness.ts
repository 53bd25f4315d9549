/** Set-up the engine tests share: a fast-polling engine config and a probe-until helper. */
import type { EngineConfig } from '../../../src/engine/engine.js';

/**
 * Engine settings for tests: 10 ms polls and retries so a test sees work within milliseconds, three
 * attempts, and frequency caps off. `receiptWindowMs` differs per suite (default 72 h).
 */
export function testEngineConfig(receiptWindowMs = 72 * 3_600_000): EngineConfig {
  return {
    engine: {
      claimBatch: 50,
      leaseMs: 30_000,
      pollMs: 10,
      receiptWindowMs,
      retryBaseMs: 10,
      maxAttempts: 3,
      sweepIntervalMs: 60_000,
    },
    frequency: { enabled: false, rules: [] },
  };
}

/** Polls `probe` every 10 ms until it returns a truthy value (returned); throws after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
