/**
 * `swiftlet/client`: the send SDK (both auth schemes) and push receivers for Swiftlet or Huawei
 * Cloud MSGSMS. No runtime dependencies beyond node: built-ins.
 */

export { signAkSk } from '../auth/aksk.js';
export { buildWsseHeaders, wsseDigest } from '../auth/wsse.js';
export type { ApiCodeInfo } from '../domain/api-codes.js';
export type { StatusCodeInfo } from '../domain/status-codes.js';
export { describeCode } from './describe-code.js';
export {
  ReceiverParseError,
  SmsApiError,
  SmsNetworkError,
  SmsResponseError,
  SmsTimeoutError,
} from './errors.js';
export * from './receivers.js';
export { DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, SmsClient, type SmsClientOptions } from './sms-client.js';
export type {
  BatchSendDiffSmsRequest,
  BatchSendSmsRequest,
  SendResponse,
  SmsContent,
  SmsId,
} from './types.js';
