import type { ProtocolResponse } from '../../src/protocol.js';

/** An response that succeeded. */
export type OkResponse = Extract<ProtocolResponse, { ok: true }>;

/** Returns the response if it succeeded and throws with the child's error otherwise. */
export function expectOk(response: ProtocolResponse): OkResponse {
  if (!response.ok) throw new Error(`expected success, got ${response.error}: ${response.message}`);
  return response;
}

/** Returns the error class name of a failed response, or `ok`. */
export function errorName(response: ProtocolResponse): string {
  return response.ok ? 'ok' : response.error;
}

/** Parses the result of a successful response. */
export function resultOf(response: ProtocolResponse): unknown {
  return JSON.parse(expectOk(response).resultJson);
}
