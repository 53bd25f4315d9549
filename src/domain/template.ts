/**
 * Template variables (spec §10.2) and templateParas validation (spec §10.3).
 *
 * Lengths are counted in Unicode code points: the spec counts "each Chinese character, letter,
 * digit, punctuation or space" as 1, which code points match (UTF-16 units would count an emoji
 * as 2).
 */

/** How a variable was written: `${1}` (INDEX), `${TXT_n}`, `${NUM_n}`, or a type name. */
export type VariableKind = 'INDEX' | 'TXT' | 'NUM' | 'PHONE' | 'CHARDIGIT' | 'DATETIME' | 'MONEY' | 'TEXT';

/** Attribute chosen at template creation for index variables (and implied by type-name tokens). */
export type VariableAttribute = 'PHONE' | 'CHARDIGIT' | 'DATETIME' | 'MONEY' | 'TEXT';

export interface TemplateVariable {
  /** 1-based order of appearance in the content; templateParas[position - 1] fills it. */
  position: number;
  /** The token as written, e.g. `${1}`, `${NUM_6}`. */
  token: string;
  kind: VariableKind;
  /** Validation rule applied to the value. */
  attribute: VariableAttribute | 'TXT' | 'NUM';
  /** Maximum value length in characters. */
  maxLength: number;
  /** UTF-16 offsets of the token in the content: `content.slice(start, end) === token`. */
  start: number;
  end: number;
}

/** Template content bounds, in characters (spec §10.1). */
export const TEMPLATE_MAX_LENGTH = 500;
/** Maximum variables per template (spec §10.2). */
export const TEMPLATE_MAX_VARIABLES = 20;
/** Largest `n` in `${n}`, `${TXT_n}`, `${NUM_n}`. */
export const VARIABLE_MAX_INDEX = 20;

/** Maximum value length per attribute (spec §10.2); minimum is always 1. */
export const ATTRIBUTE_MAX_LENGTH: Readonly<Record<VariableAttribute, number>> = {
  PHONE: 15,
  CHARDIGIT: 20,
  DATETIME: 20,
  MONEY: 20,
  TEXT: 20,
};

/** Attribute given to `${n}` when the template's attribute map does not name one. */
export const DEFAULT_INDEX_ATTRIBUTE: VariableAttribute = 'TEXT';

const TYPE_TOKENS: ReadonlySet<string> = new Set(['PHONE', 'CHARDIGIT', 'DATETIME', 'MONEY', 'TEXT']);
const FORBIDDEN_CONTENT_CHARS = ['【', '】', '[', ']'];

function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function parseToken(
  inner: string,
  attributes: Record<number, VariableAttribute>,
): Pick<TemplateVariable, 'kind' | 'attribute' | 'maxLength'> | string {
  const index = /^([1-9][0-9]?)$/.exec(inner);
  if (index) {
    const n = Number(index[1]);
    if (n > VARIABLE_MAX_INDEX) return `variable index ${n} is out of range 1-${VARIABLE_MAX_INDEX}`;
    const attribute = attributes[n] ?? DEFAULT_INDEX_ATTRIBUTE;
    if (!TYPE_TOKENS.has(attribute)) return `unknown attribute ${String(attribute)} for variable \${${n}}`;
    return { kind: 'INDEX', attribute, maxLength: ATTRIBUTE_MAX_LENGTH[attribute] };
  }
  const sized = /^(TXT|NUM)_([1-9][0-9]?)$/.exec(inner);
  if (sized) {
    const n = Number(sized[2]);
    if (n > VARIABLE_MAX_INDEX) return `variable length ${n} is out of range 1-${VARIABLE_MAX_INDEX}`;
    const kind = sized[1] as 'TXT' | 'NUM';
    return { kind, attribute: kind, maxLength: n };
  }
  if (TYPE_TOKENS.has(inner)) {
    const attribute = inner as VariableAttribute;
    return { kind: attribute, attribute, maxLength: ATTRIBUTE_MAX_LENGTH[attribute] };
  }
  return `unknown variable \${${inner}}`;
}

/**
 * Parse template content and validate it against the template rules. All problems are
 * reported at once (errors[] in content order, length/character rules first).
 *
 * Rules: 1–500 characters; no `【】[]`; tokens `${1}`..`${20}`, `${TXT_n}`/`${NUM_n}` (n 1–20),
 * `${PHONE}` `${CHARDIGIT}` `${DATETIME}` `${MONEY}` `${TEXT}`; any other `${…}` or an unclosed
 * `${` is an error; at most 20 variables; variables must be separated by text — text that is
 * only whitespace does not count, so `${1} ${2}` is "consecutive" and `${1} ` is "only
 * variables". Index variables take their attribute from `attributes[n]` (default TEXT); the
 * index is a label only: order and repetition are not checked (values map by position).
 */
export function parseTemplate(
  content: string,
  attributes: Record<number, VariableAttribute> = {},
): { ok: true; variables: TemplateVariable[] } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const len = charLength(content);
  if (len < 1 || len > TEMPLATE_MAX_LENGTH)
    errors.push(`content must be 1-${TEMPLATE_MAX_LENGTH} characters`);
  for (const ch of FORBIDDEN_CONTENT_CHARS) {
    if (content.includes(ch)) errors.push(`content must not contain ${ch}`);
  }

  const variables: TemplateVariable[] = [];
  const tokenRe = /\$\{([^{}]*)\}/g;
  let literal = '';
  let last = 0;
  let prevToken: string | null = null;
  for (let m = tokenRe.exec(content); m !== null; m = tokenRe.exec(content)) {
    const between = content.slice(last, m.index);
    if (between.includes('${')) errors.push('unterminated ${ in content');
    literal += between;
    if (prevToken !== null && between.trim() === '') {
      errors.push(`variables ${prevToken} and ${m[0]} must be separated by text`);
    }
    prevToken = m[0];
    const parsed = parseToken(m[1], attributes);
    if (typeof parsed === 'string') {
      errors.push(parsed);
    } else {
      variables.push({
        position: variables.length + 1,
        token: m[0],
        start: m.index,
        end: m.index + m[0].length,
        ...parsed,
      });
    }
    last = m.index + m[0].length;
  }
  const tail = content.slice(last);
  if (tail.includes('${')) errors.push('unterminated ${ in content');
  literal += tail;

  if (variables.length > TEMPLATE_MAX_VARIABLES)
    errors.push(`at most ${TEMPLATE_MAX_VARIABLES} variables are allowed`);
  if (prevToken !== null && literal.trim() === '')
    errors.push('template must contain text besides variables');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, variables };
}

const MONEY_RE = /^[0-9.零一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟元角分]+$/u;
const DATETIME_RE = /^[0-9\-/: 年月日时点分秒]+$/u;

/** Content rule per attribute; returns a reason, or null when the value is acceptable. */
function checkValue(attribute: TemplateVariable['attribute'], value: string): string | null {
  switch (attribute) {
    case 'NUM':
      return /^[0-9]+$/.test(value) ? null : 'must contain digits only';
    case 'TXT':
      return /[{}]/.test(value) ? 'must not contain { or }' : null;
    case 'PHONE':
      return /^[0-9+\- ]+$/.test(value) ? null : 'must contain only digits, +, - and spaces';
    case 'CHARDIGIT':
      return /^[A-Za-z0-9]+$/.test(value) ? null : 'must contain only letters and digits';
    case 'MONEY':
      return MONEY_RE.test(value) ? null : 'must contain only digits, a decimal point or Chinese numerals';
    case 'DATETIME':
      return DATETIME_RE.test(value) ? null : 'must contain only digits and date/time separators';
    case 'TEXT':
      return /[.。'<>{}]/.test(value) ? "must not contain . 。 ' < > { or }" : null;
  }
}

/**
 * Validate templateParas values against parsed variables (spec §10.3). A failure maps to the
 * per-number status E200028. Values must be strings (numbers are refused: quoting keeps leading
 * zeros, and Huawei requires strings), non-empty, at most `maxLength` characters, and match the
 * attribute's content rule. A template without variables needs an empty params array.
 */
export function validateParams(
  variables: TemplateVariable[],
  params: readonly unknown[],
): { ok: true; values: string[] } | { ok: false; reason: string } {
  if (params.length !== variables.length) {
    return { ok: false, reason: `expected ${variables.length} parameter(s), got ${params.length}` };
  }
  const values: string[] = [];
  for (let i = 0; i < variables.length; i++) {
    const v = variables[i];
    const p = params[i];
    const label = `parameter ${i + 1} (${v.token})`;
    if (typeof p !== 'string') return { ok: false, reason: `${label} must be a string` };
    if (p === '') return { ok: false, reason: `${label} must not be empty` };
    if (charLength(p) > v.maxLength)
      return { ok: false, reason: `${label} is longer than ${v.maxLength} characters` };
    const bad = checkValue(v.attribute, p);
    if (bad) return { ok: false, reason: `${label} ${bad}` };
    values.push(p);
  }
  return { ok: true, values };
}

/**
 * Substitute `values` (already validated, same order as `variables`) into `content`.
 * Text outside the tokens is kept byte-for-byte.
 */
export function renderTemplate(content: string, variables: TemplateVariable[], values: string[]): string {
  let out = '';
  let last = 0;
  variables.forEach((v, i) => {
    out += content.slice(last, v.start) + (values[i] ?? '');
    last = v.end;
  });
  return out + content.slice(last);
}

/** The text the handset shows: `【name】body`, or just `body` when there is no signature (international). */
export function renderMessage(signatureName: string | null, body: string): string {
  return signatureName === null ? body : `【${signatureName}】${body}`;
}
