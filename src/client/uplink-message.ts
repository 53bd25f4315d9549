import { parseHuaweiTime } from '../domain/time.js';
import { type FormInput, formFields, optional, required } from './form-fields.js';

/** An uplink (MO) SMS push (spec §8). */
export interface UplinkMessage {
  /** The uplink's own id (not the downlink's). */
  smsMsgId: string;
  /** The mobile user's number, e.g. `+8615500000000`. */
  from: string;
  /** The channel number that received it (identifies signature/app). */
  to: string;
  /** The text, UTF-8 decoded. */
  body: string;
  /** `yyyy-MM-ddTHH:mm:ssZ`, only when the app enabled reply times. */
  createTime?: string;
  /** `createTime` parsed. */
  createdAt?: Date;
}

/**
 * Parses an uplink push (form body).
 * @throws {ReceiverParseError} when `smsMsgId`, `from`, `to` or `body` is missing.
 */
export function parseUplink(body: FormInput): UplinkMessage {
  const get = formFields(body);
  const msg: UplinkMessage = {
    smsMsgId: required(get, 'smsMsgId', 'uplink'),
    from: required(get, 'from', 'uplink'),
    to: required(get, 'to', 'uplink'),
    body: required(get, 'body', 'uplink'),
  };
  const createTime = optional(get, 'createTime');
  if (createTime !== undefined) {
    msg.createTime = createTime;
    const ms = parseHuaweiTime(createTime);
    if (ms !== null) msg.createdAt = new Date(ms);
  }
  return msg;
}
