/** Human (tables, key/value lines) and machine (`--json`) output of the CLI. */

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A plain-text table of `rows` with the given columns (header, then aligned rows). */
export function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const data = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...data.map((d) => [...d[i]].length)));
  const line = (cells: string[]) =>
    cells
      .map((s, i) => s + ' '.repeat(widths[i] - [...s].length))
      .join('  ')
      .trimEnd();
  return [line(columns), ...data.map(line)].join('\n');
}

/** `key: value` lines of an object (nested values as JSON). */
export function record(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj);
  const w = Math.max(...keys.map((k) => k.length));
  return keys.map((k) => `${k.padEnd(w)}  ${cell(obj[k])}`).join('\n');
}

/** Print `data` as JSON (`--json`) or with `human`. */
export function emit(json: boolean | undefined, data: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}
