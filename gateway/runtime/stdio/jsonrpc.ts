// Just enough JSON-RPC to route messages without re-shaping them: classify, read ids, build errors.

export type TJsonRpcId = string | number;
export type TJsonRpcMessage = Record<string, unknown> & { jsonrpc?: unknown };

export type TMessageKind = "request" | "notification" | "response" | "invalid";

/** What a parsed JSON-RPC message is, by shape (a response has an id and result or error and no method). */
export function classifyMessage(msg: unknown): TMessageKind {
  if (!msg || typeof msg !== "object" || Array.isArray(msg)) return "invalid";
  const m = msg as Record<string, unknown>;
  if (typeof m.method === "string") return isJsonRpcId(m.id) ? "request" : m.id === undefined ? "notification" : "invalid";
  if (("result" in m || "error" in m) && (isJsonRpcId(m.id) || m.id === null)) return "response";
  return "invalid";
}

export function isJsonRpcId(v: unknown): v is TJsonRpcId {
  return typeof v === "string" || (typeof v === "number" && Number.isFinite(v));
}

/** A map key for an id that keeps 1 and "1" apart. */
export function idKey(id: TJsonRpcId): string {
  return typeof id === "number" ? `n:${id}` : `s:${id}`;
}

/** The request's `_meta.progressToken`, when it has one. */
export function getProgressToken(msg: TJsonRpcMessage): TJsonRpcId | undefined {
  const params = msg.params as { _meta?: { progressToken?: unknown } } | undefined;
  const token = params?._meta?.progressToken;
  return isJsonRpcId(token) ? token : undefined;
}

/** A JSON-RPC error response as a line of text. */
export function errorResponse(id: TJsonRpcId | null, code: number, message: string, data?: unknown): string {
  return JSON.stringify({ jsonrpc: "2.0", id, error: data === undefined ? { code, message } : { code, message, data } });
}

/** One message as a single line of text for a stdio pipe: the client's own text when it already is one. */
export function toLine(raw: string | undefined, msg: unknown): string {
  if (raw !== undefined && !raw.includes("\n") && !raw.includes("\r")) return raw;
  return JSON.stringify(msg);
}

export const ERR_SERVER = -32000;
export const ERR_INVALID_REQUEST = -32600;
export const ERR_PARSE = -32700;
export const ERR_INTERNAL = -32603;
export const ERR_METHOD_NOT_FOUND = -32601;
