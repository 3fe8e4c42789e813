// Reads what the access log needs from a client's JSON-RPC body without touching the bytes that
// are forwarded: the body is parsed as a copy and the original Buffer goes upstream unchanged.

export type TJsonRpcId = string | number | null;
export type TJsonRpcItem = { method: string | null; id: TJsonRpcId | undefined; toolName: string | null };
export type TJsonRpcSummary = { batch: boolean; items: TJsonRpcItem[] };

function item(value: unknown): TJsonRpcItem {
  if (!value || typeof value !== "object" || Array.isArray(value)) return { method: null, id: undefined, toolName: null };
  const v = value as Record<string, unknown>;
  const method = typeof v.method === "string" ? v.method : null;
  const id = typeof v.id === "string" || typeof v.id === "number" || v.id === null ? (v.id as TJsonRpcId) : undefined;
  let toolName: string | null = null;
  if (method === "tools/call" && v.params && typeof v.params === "object") {
    const name = (v.params as Record<string, unknown>).name;
    if (typeof name === "string") toolName = name;
  }
  return { method, id, toolName };
}

/** Method, id and tool name of each message in a JSON-RPC body; null when the body is not JSON. */
export function summarizeJsonRpc(body: Buffer | null): TJsonRpcSummary | null {
  if (!body || body.length === 0) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
  if (Array.isArray(parsed)) return { batch: true, items: parsed.map(item) };
  return { batch: false, items: [item(parsed)] };
}

/** The ids of the requests (not notifications or responses) in a summary, in order. */
export function requestIds(summary: TJsonRpcSummary | null): TJsonRpcId[] {
  if (!summary) return [];
  return summary.items.filter((i) => i.method !== null && i.id !== undefined).map((i) => i.id as TJsonRpcId);
}

/**
 * The JSON-RPC answer for requests that got no upstream answer in time: one error per request id
 * (an array for a batch), so that the client's pending requests settle instead of hanging.
 */
export function jsonRpcErrorBody(summary: TJsonRpcSummary, code: number, message: string): string | null {
  const ids = requestIds(summary);
  if (ids.length === 0) return null;
  const errors = ids.map((id) => ({ jsonrpc: "2.0", id, error: { code, message } }));
  return JSON.stringify(summary.batch ? errors : errors[0]);
}
