/**
 * Channel numbers: `csms` + 8 digits for approved signatures (mainland), `isms` + 8 digits for
 * international apps. Allocation takes max + 1 under a unique index; a concurrent allocator that
 * picked the same number hits the index and the caller retries (`retryOnConflict`).
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type ChannelPrefix = 'csms' | 'isms';

const DIGITS = 8;

/** Next free number after the largest one with this prefix in `table` (fixed width, so max sorts right). */
export async function nextChannelNumber(
  db: Kysely<Database>,
  table: 'signatures' | 'apps',
  prefix: ChannelPrefix,
): Promise<string> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('channel_number').as('m'))
    .where('channel_number', 'like', `${prefix}%`)
    .executeTakeFirst();
  const last = row?.m ? Number.parseInt(String(row.m).slice(prefix.length), 10) : 0;
  return prefix + String(last + 1).padStart(DIGITS, '0');
}
