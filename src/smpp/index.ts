/**
 * Swiftlet's SMPP 3.4 stack: codec, text/concatenation, receipts, session, client, server.
 * Import from here; the files behind it are one job each.
 */

export { ExponentialBackoff } from './backoff.js';
export * from './command-ids.js';
export * from './command-status.js';
export * from './message-id.js';
export * from './pdu-codec.js';
export * from './pdu-descriptors.js';
export { type FramerError, PduFramer } from './pdu-framer.js';
export type * from './pdu-types.js';
export { AimdRateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export * from './reassembler.js';
export {
  type DeliveryReceipt,
  type FormatReceiptInput,
  formatReceiptDate,
  formatReceiptText,
  isDeliveryReceipt,
  MessageState,
  messageStateForStat,
  parseDeliveryReceipt,
  parseReceiptDate,
  parseReceiptText,
  type ReceiptStat,
  type ReceiptText,
  statForMessageState,
} from './receipt.js';
export * from './session.js';
export * from './session-config.js';
export * from './short-message-builder.js';
export * from './short-message-decoder.js';
export * from './smpp-client.js';
export * from './smpp-connector-pool.js';
export * from './smpp-errors.js';
export * from './smpp-server.js';
export * from './tlv.js';
export * from './udh.js';
export { RequestWindow, type WindowCounters, type WindowEntry } from './window.js';
