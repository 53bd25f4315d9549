import { randomBytes, randomUUID } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Largest multiple of 62 that fits in a byte; bytes at or above it are rejected (no modulo bias). */
const ALNUM_LIMIT = 256 - (256 % ALNUM.length);

/**
 * Process-wide suffix counter for smsMsgId, seeded with the Unix time in seconds at start-up so
 * the suffix looks like Huawei's (`…_1409436677`) and keeps roughly increasing across restarts.
 * It is NOT what makes ids unique — the UUID v4 is; after a restart that follows a burst the
 * suffix may repeat an earlier one, which is harmless.
 */
let msgCounter = Math.floor(Date.now() / 1000);

/** New smsMsgId: `<uuid v4>_<decimal integer>` (≤ 50 chars, spec §1). */
export function newSmsMsgId(): string {
  msgCounter += 1;
  return `${randomUUID()}_${msgCounter}`;
}

/** `length` characters from [A-Za-z0-9], drawn from the CSPRNG by rejection sampling. */
function randomAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    const bytes = randomBytes((length - out.length) * 2);
    for (const b of bytes) {
      if (b < ALNUM_LIMIT) {
        out += ALNUM[b % ALNUM.length];
        if (out.length === length) break;
      }
    }
  }
  return out;
}

/** New application key: 28 characters [A-Za-z0-9] like Huawei's (spec §1), ~166 bits. */
export function newAppKey(): string {
  return randomAlnum(28);
}

/** New application secret: 28 characters [A-Za-z0-9], ~166 bits of entropy. */
export function newAppSecret(): string {
  return randomAlnum(28);
}

/** New template id: 32 lowercase hex characters (spec §1). */
export function newTemplateId(): string {
  return randomBytes(16).toString('hex');
}

/** New generic entity id: 32 lowercase hex characters (128 random bits). */
export function newId(): string {
  return randomBytes(16).toString('hex');
}
