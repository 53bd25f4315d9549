/**
 * Size of a parsed JSON value as compact JSON, measured without recursion.
 *
 * Why not `Buffer.byteLength(JSON.stringify(v))`: `JSON.parse` accepts arbitrarily deep nesting
 * (a 200 KB body of `[` is 100,000 levels), but `JSON.stringify` recurses and throws
 * `RangeError: Maximum call stack size exceeded` on such a value. A hostile body must get a
 * MSGSMS code, never an HTTP 500, so the 64 KB `smsContent` check walks the value with an
 * explicit stack and stops as soon as the limit is passed (at most `limit` bytes of work).
 */

/**
 * UTF-8 byte length of `JSON.stringify(value)` for a value produced by `JSON.parse` (null,
 * booleans, numbers, strings, arrays, plain objects). Stops counting once the total exceeds
 * `limit` and then returns some number greater than `limit`, so callers compare with `> limit`.
 */
export function jsonByteLengthUpTo(value: unknown, limit: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    if (total > limit) return total;
    const v = stack.pop();
    if (v === null || typeof v === 'boolean' || typeof v === 'number') {
      total += JSON.stringify(v).length;
    } else if (typeof v === 'string') {
      total += Buffer.byteLength(JSON.stringify(v));
    } else if (Array.isArray(v)) {
      // Brackets plus a comma between items.
      total += 2 + Math.max(0, v.length - 1);
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (typeof v === 'object') {
      const keys = Object.keys(v);
      // Braces, a comma between members, a colon per member, the quoted keys.
      total += 2 + Math.max(0, keys.length - 1) + keys.length;
      for (const k of keys) {
        total += Buffer.byteLength(JSON.stringify(k));
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
    // undefined/functions/symbols cannot come out of JSON.parse; JSON.stringify omits them.
  }
  return total;
}
