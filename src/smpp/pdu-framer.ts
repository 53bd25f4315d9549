/**
 * Cuts a TCP byte stream into complete SMPP frames. Nothing is yielded until a whole frame
 * has arrived; frames are `subarray` views of the received chunk where possible (one copy
 * only when a frame spans chunks).
 *
 * A `command_length` below 16 or above `maxLength` means the stream cannot be trusted (we
 * cannot tell where the next PDU starts), so `push` reports it and the framer stops: the
 * session must close. Everything else (unknown command, bad body) is `decodePdu`'s concern.
 */
import { HEADER_LENGTH } from './pdu-codec.js';

/** Default frame cap: 64 KiB covers a 64K message_payload plus header; larger is hostile. */
export const DEFAULT_MAX_PDU_LENGTH = 64 * 1024;

export interface FramerError {
  commandLength: number;
  message: string;
}

export class PduFramer {
  readonly #max: number;
  #pending: Buffer | null = null;
  #failed: FramerError | null = null;

  /** @param maxLength largest accepted command_length; default DEFAULT_MAX_PDU_LENGTH. */
  constructor(maxLength: number = DEFAULT_MAX_PDU_LENGTH) {
    this.#max = maxLength;
  }

  /** The framing error that stopped this framer, if any. */
  get error(): FramerError | null {
    return this.#failed;
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number {
    return this.#pending?.length ?? 0;
  }

  /**
   * Adds a chunk and returns every frame it completes (possibly none). After a framing error
   * it returns the frames before the bad one, sets `error`, and ignores later input.
   */
  push(chunk: Buffer): Buffer[] {
    if (this.#failed) return [];
    let buf = chunk;
    if (this.#pending) {
      buf = Buffer.concat([this.#pending, chunk]);
      this.#pending = null;
    }
    const frames: Buffer[] = [];
    let pos = 0;
    while (buf.length - pos >= 4) {
      const len = buf.readUInt32BE(pos);
      if (len < HEADER_LENGTH || len > this.#max) {
        this.#failed = {
          commandLength: len,
          message:
            len < HEADER_LENGTH ? `command_length ${len} < 16` : `command_length ${len} > cap ${this.#max}`,
        };
        return frames;
      }
      if (buf.length - pos < len) break;
      frames.push(buf.subarray(pos, pos + len));
      pos += len;
    }
    if (pos < buf.length) {
      // Copy the tail so the (possibly large) chunk it came from can be collected.
      this.#pending = Buffer.from(buf.subarray(pos));
    }
    return frames;
  }
}
