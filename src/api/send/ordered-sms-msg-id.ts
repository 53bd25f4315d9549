/**
 * smsMsgId generator for the send API whose ids sort roughly by creation time.
 *
 * The shape is the documented one, `<uuid>_<n>` (≤ 50 chars; UUID in the v4 layout: version
 * nibble 4, RFC 4122 variant), but the UUID's first 32 bits are the low 32 bits of the
 * millisecond clock instead of random bits; the other 90 random bits (plus the suffix, unique
 * within the process) keep ids unique. Why: `messages.sms_msg_id` carries a unique index, and
 * fully random keys scatter every batch over the whole index, so each commit rewrote ~one index
 * page per message (random ids: ~16k messages/s into SQLite; time-ordered: ~40k, see
 * bench/sqlite-accept-micro.ts). Time-ordered keys land on the index's right edge.
 *
 * `n` is a process-wide counter seeded with the Unix time in seconds, like
 * `domain/ids.newSmsMsgId`'s, so the suffix looks like Huawei's (`…_1409436677`).
 */
import { randomUUID } from 'node:crypto';

let counter = Math.floor(Date.now() / 1000);
const TWO_32 = 0x1_0000_0000;

/** New smsMsgId whose UUID starts with the low 32 bits of `now` (ms) in hex. */
export function newOrderedSmsMsgId(now: number = Date.now()): string {
  counter += 1;
  const head = (Math.floor(now) % TWO_32).toString(16).padStart(8, '0');
  return `${head}${randomUUID().slice(8)}_${counter}`;
}
