/** Template (and signature) types; a signature's type must equal its template's type. */
export type TemplateType = 'VERIFY_CODE_TYPE' | 'NOTIFY_TYPE' | 'PROMOTION_TYPE';

export const TEMPLATE_TYPES: readonly TemplateType[] = Object.freeze([
  'VERIFY_CODE_TYPE',
  'NOTIFY_TYPE',
  'PROMOTION_TYPE',
] as const);

export function isTemplateType(x: unknown): x is TemplateType {
  return typeof x === 'string' && (TEMPLATE_TYPES as readonly string[]).includes(x);
}

/** Signature name length bounds in characters (code points). Spec §10.4: newer docs say 2–32. */
export const SIGNATURE_MIN_LENGTH = 2;
export const SIGNATURE_MAX_LENGTH = 32;

/**
 * Validate a signature name (without brackets). Returns null when valid, else a reason.
 * Rules (spec §10.4): 2–32 characters, each an ASCII letter, an ASCII digit or a Han (CJK)
 * ideograph; not digits only. No spaces, punctuation or brackets — the platform adds `【】` itself.
 */
export function validateSignatureName(name: string): string | null {
  const chars = [...name];
  if (chars.length < SIGNATURE_MIN_LENGTH || chars.length > SIGNATURE_MAX_LENGTH) {
    return `signature name must be ${SIGNATURE_MIN_LENGTH}-${SIGNATURE_MAX_LENGTH} characters`;
  }
  if (!/^[A-Za-z0-9\p{Script=Han}]+$/u.test(name)) {
    return 'signature name may contain only letters, digits and Chinese characters';
  }
  if (/^[0-9]+$/.test(name)) return 'signature name must not be digits only';
  return null;
}
