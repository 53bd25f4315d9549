// The receiver half of the SDK in one import: parsers, the node:http handler and framework adapters.
export { createReceiver } from './create-receiver.js';
export { ReceiverParseError } from './errors.js';
export { expressReceiver, fastifyReceiver, fastifyReceiverHandler } from './framework-receivers.js';
export {
  DEFAULT_PUSH_BODY_LIMIT,
  handlePush,
  type PushInput,
  type PushResult,
  type ReceiverOptions,
} from './push-handler.js';
export { parseBatchStatusReport, parseStatusReport, type StatusReport } from './status-report.js';
export { parseUplink, type UplinkMessage } from './uplink-message.js';
