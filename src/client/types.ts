/** One recipient in a send response (spec §3.4 `SmsID`). */
export interface SmsId {
  /** `<uuid>_<n>`; may be empty for numbers that failed. */
  smsMsgId: string;
  from: string;
  originTo: string;
  /** `000000` when accepted, else a per-number code such as `E200041`. */
  status: string;
  /** `yyyy-MM-ddTHH:mm:ssZ` UTC. */
  createTime: string;
  /** ISO alpha-2 country, e.g. `CN`. */
  countryId?: string;
  /** Number of segments. */
  total?: number;
}

/**
 * Body of a send response. `code` is `000000`, or `E000510` when some numbers failed (read each
 * `result[i].status`). Other codes are thrown as `SmsApiError`.
 */
export interface SendResponse {
  code: string;
  description: string;
  result?: SmsId[];
}

/** `POST /sms/batchSendSms/v1`: one template to 1–500 numbers. */
export interface BatchSendSmsRequest {
  /** Channel number (sender), e.g. `csms12345678`. */
  from: string;
  /** `+8615100000001` or a list; lists are joined with `,`. */
  to: string | string[];
  templateId: string;
  /** Template variable values; sent as a JSON array string. */
  templateParas?: string[];
  statusCallback?: string;
  /** Only for universal templates (mainland). */
  signature?: string;
  /** Echoed back in status reports (1–128 chars, no `{`/`}`). */
  extend?: string;
}

/** One group of `batchSendDiffSms`. */
export interface SmsContent {
  to: string[];
  templateId: string;
  templateParas?: string[];
  signature?: string;
}

/** `POST /sms/batchSendDiffSms/v1`: different templates/params per group. */
export interface BatchSendDiffSmsRequest {
  from: string;
  statusCallback?: string;
  extend?: string;
  smsContent: SmsContent[];
}
