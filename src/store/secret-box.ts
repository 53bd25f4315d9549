/**
 * Encrypts application secrets at rest with AES-256-GCM. Each value gets a fresh random 12-byte
 * IV; the stored form is `base64(iv).base64(tag).base64(ciphertext)`. GCM authenticates, so a
 * tampered value or a wrong key fails loudly instead of yielding a wrong secret.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export class SecretBox {
  readonly #key: Buffer;

  /** @throws Error when `key` is not 32 bytes: fix the configured secret key. */
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error(`secret key must be 32 bytes, got ${key.length}`);
    this.#key = Buffer.from(key);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${iv.toString('base64')}.${cipher.getAuthTag().toString('base64')}.${ct.toString('base64')}`;
  }

  /** @throws Error when the value is malformed, tampered with, or sealed with another key. */
  decrypt(sealed: string): string {
    const [iv, tag, ct] = sealed.split('.');
    if (iv === undefined || tag === undefined || ct === undefined) throw new Error('malformed sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  }
}
