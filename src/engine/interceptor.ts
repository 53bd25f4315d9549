import { checkFrequency, type FrequencyRule } from '../domain/frequency.js';
import { BLOCKLIST_STATUS } from '../domain/status-codes.js';
import type { ClaimedMessage, FinalOutcome, Store } from '../store/store.js';

/**
 * A content rule: a message whose text matches is not sent and gets `KEYWORD` (or `code`).
 * A plain string matches case-insensitively anywhere in the text; `{ regex }` is a JavaScript
 * regular expression source (flags default `i`).
 */
export type KeywordRule = string | { regex: string; flags?: string; code?: string };

/** Interception settings. Frequency caps are off unless enabled (the demo profile leaves them off). */
export interface InterceptionOptions {
  frequency: { enabled: boolean; rules: readonly FrequencyRule[] };
  keywords?: readonly KeywordRule[];
}

interface CompiledKeyword {
  test: (text: string) => boolean;
  code: string;
  label: string;
}

function compile(rules: readonly KeywordRule[]): CompiledKeyword[] {
  return rules.map((r) => {
    if (typeof r === 'string') {
      const needle = r.toLowerCase();
      return { test: (t) => t.toLowerCase().includes(needle), code: 'KEYWORD', label: r };
    }
    const re = new RegExp(r.regex, r.flags ?? 'i');
    return { test: (t) => re.test(t), code: r.code ?? 'KEYWORD', label: r.regex };
  });
}

/**
 * Platform interception, run on each claimed batch before routing. Checks, first hit wins:
 * 1. blocklist (`store.findBlocks`, global and the app's): scope `all` blocks every message,
 *    scope `promotion` (opt-out by MO) only `PROMOTION_TYPE` → `SC:0001`;
 * 2. content keyword rules → `KEYWORD`;
 * 3. per-number frequency caps (spec §12) over `store.recentSends` → the rule's code
 *    (`MILIMIT`, `LIMIT`, `CTLIMIT`).
 * Intercepted messages become REJECTED with `source` 3 (Huawei's "platform" reports) and are
 * never sent to a carrier. Costs one `findBlocks` per app in the batch and one `recentSends`.
 */
export class Interceptor {
  readonly #store: Store;
  readonly #opts: InterceptionOptions;
  readonly #keywords: CompiledKeyword[];
  readonly #maxWindowMs: number;

  constructor(store: Store, opts: InterceptionOptions) {
    this.#store = store;
    this.#opts = opts;
    this.#keywords = compile(opts.keywords ?? []);
    this.#maxWindowMs = Math.max(0, ...opts.frequency.rules.map((r) => r.windowMs));
  }

  /** Splits a batch into messages to send and the final outcomes of the intercepted ones. */
  async screen(
    batch: ClaimedMessage[],
  ): Promise<{ admitted: ClaimedMessage[]; intercepted: FinalOutcome[] }> {
    const admitted: ClaimedMessage[] = [];
    const intercepted: FinalOutcome[] = [];
    if (batch.length === 0) return { admitted, intercepted };

    const blocked = await this.#blocked(batch);
    const history = await this.#history(batch);

    for (const c of batch) {
      const m = c.message;
      const reject = (statusCode: string, detail: Record<string, unknown>) =>
        intercepted.push({
          messageId: m.id,
          state: 'REJECTED',
          statusCode,
          source: '3',
          eventKind: 'intercepted',
          detail,
        });

      const scopes = blocked.get(`${m.appId}\n${m.to}`);
      if (scopes && (scopes.has('all') || (scopes.has('promotion') && m.templateType === 'PROMOTION_TYPE'))) {
        reject(BLOCKLIST_STATUS, { rule: 'blocklist', scope: scopes.has('all') ? 'all' : 'promotion' });
        continue;
      }
      const kw = this.#keywords.find((k) => k.test(m.content));
      if (kw) {
        reject(kw.code, { rule: 'keyword', keyword: kw.label });
        continue;
      }
      if (history) {
        const h = history.get(m.to) ?? [];
        // Earlier sends only: the message itself and those created after it are in the history
        // too. Rows created before it come from the store; a same-instant message of this batch
        // admitted before it is added below (`admitted`), so it is counted exactly once.
        const before = h.filter((e) => (e.admitted ? e.at === m.createdAt : e.at < m.createdAt));
        const verdict = checkFrequency(before, m.createdAt, m.contentHash, this.#opts.frequency.rules);
        if (!verdict.ok) {
          reject(verdict.rule.code, {
            rule: 'frequency',
            windowMs: verdict.rule.windowMs,
            max: verdict.rule.max,
          });
          continue;
        }
        // Same-instant messages of this batch count for the ones after them.
        h.push({ at: m.createdAt, contentHash: m.contentHash, admitted: true });
        history.set(m.to, h);
      }
      admitted.push(c);
    }
    return { admitted, intercepted };
  }

  async #blocked(batch: ClaimedMessage[]): Promise<Map<string, Set<string>>> {
    const byApp = new Map<string, Set<string>>();
    for (const c of batch) {
      const s = byApp.get(c.message.appId) ?? new Set<string>();
      s.add(c.message.to);
      byApp.set(c.message.appId, s);
    }
    const out = new Map<string, Set<string>>();
    await Promise.all(
      [...byApp].map(async ([appId, numbers]) => {
        const entries = await this.#store.findBlocks(appId, [...numbers]);
        for (const e of entries) {
          const key = `${appId}\n${e.number}`;
          const s = out.get(key) ?? new Set<string>();
          s.add(e.scope);
          out.set(key, s);
        }
      }),
    );
    return out;
  }

  async #history(
    batch: ClaimedMessage[],
  ): Promise<Map<string, Array<{ at: number; contentHash: string; admitted: boolean }>> | null> {
    if (!this.#opts.frequency.enabled || this.#opts.frequency.rules.length === 0) return null;
    const numbers = [...new Set(batch.map((c) => c.message.to))];
    const oldest = Math.min(...batch.map((c) => c.message.createdAt));
    const rows = await this.#store.recentSends(numbers, oldest - this.#maxWindowMs);
    const out = new Map<string, Array<{ at: number; contentHash: string; admitted: boolean }>>();
    for (const r of rows) {
      const list = out.get(r.to) ?? [];
      list.push({ at: r.at, contentHash: r.contentHash, admitted: false });
      out.set(r.to, list);
    }
    return out;
  }
}
