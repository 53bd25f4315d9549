/**
 * How the send examples report: each number's outcome, or the request-level refusal with its
 * suggestion. Kept apart so every example shows only its own client set-up and call.
 */
import { type SendResponse, SmsApiError, type SmsClient } from '../src/client/index.js';

/**
 * Calls `send` (inside the try, so even a throw closes the client), prints the response code and one
 * line per number, then closes `client`. A refusal (SmsApiError) is printed to stderr and sets exit
 * code 1; any other error is thrown.
 */
export async function printSendResult(client: SmsClient, send: () => Promise<SendResponse>): Promise<void> {
  try {
    const res = await send();
    // `000000`: every number accepted. `E000510`: some numbers failed; their `status` says why.
    console.log(`${res.code} ${res.description}`);
    for (const r of res.result ?? []) {
      console.log(`  ${r.originTo}  status=${r.status}  smsMsgId=${r.smsMsgId}  segments=${r.total ?? '-'}`);
    }
  } catch (err) {
    if (!(err instanceof SmsApiError)) throw err;
    // A request-level refusal: the code, the server's description and Swiftlet's handling suggestion.
    console.error(`${err.code} ${err.description}\n  → ${err.suggestion}`);
    process.exitCode = 1;
  } finally {
    client.close();
  }
}
