// Header rules between client and upstream (design §5): an allow-list of what an MCP server needs,
// token headers only with pass-through on, the instance's own headers injected last; never the
// client's credentials, never hop-by-hop headers, and nothing injected ever flows back.
import type http from "node:http";
import type { TTokenHeader } from "@/db/schema/tokens";
import { CREDENTIAL_HEADERS } from "@/lib/tokens/credential";

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus HTTP/2 leftovers. */
export const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);

const CREDENTIALS = new Set<string>(CREDENTIAL_HEADERS);

/** What an MCP server needs from the client's request. */
export const FORWARDED_REQUEST_HEADERS = ["content-type", "accept", "mcp-session-id", "mcp-protocol-version", "last-event-id", "traceparent", "tracestate"] as const;

/** What the client needs from the upstream's response. */
export const FORWARDED_RESPONSE_HEADERS = ["content-type", "content-encoding", "mcp-session-id", "mcp-protocol-version", "cache-control"] as const;

type TIncoming = http.IncomingHttpHeaders;

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** True for a header the gateway must never send upstream, whatever any configuration says. */
export function isForbiddenUpstreamHeader(name: string): boolean {
  const n = name.toLowerCase();
  return CREDENTIALS.has(n) || HOP_BY_HOP.has(n);
}

/**
 * The headers sent upstream: the allow-listed client headers, the token's pass-through headers (the
 * client's value, else the configured one), then the instance's injected headers (they win).
 */
export function buildUpstreamHeaders(client: TIncoming, tokenHeaders: readonly TTokenHeader[], injected: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const v = first(client[name]);
    if (v !== undefined) out[name] = v;
  }
  for (const h of tokenHeaders) {
    const name = h.name.toLowerCase();
    if (!h.passThrough || isForbiddenUpstreamHeader(name)) continue;
    out[name] = first(client[name]) ?? h.value;
  }
  for (const [rawName, value] of Object.entries(injected)) {
    const name = rawName.toLowerCase();
    if (HOP_BY_HOP.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** The upstream response headers the client may see; any value carrying an injected secret is dropped. */
export function filterResponseHeaders(upstream: TIncoming, injected: Record<string, string>): Record<string, string> {
  const secrets = Object.values(injected).filter((v) => v.length >= 4);
  const out: Record<string, string> = {};
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const v = first(upstream[name]);
    if (v === undefined) continue;
    if (secrets.some((s) => v.includes(s))) continue;
    out[name] = v;
  }
  return out;
}

/** The client's headers for the access log, with credential values replaced. */
export function redactHeaders(client: TIncoming, extraSecret: readonly string[] = []): Record<string, string> {
  const secret = new Set([...CREDENTIALS, ...extraSecret.map((s) => s.toLowerCase())]);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(client)) {
    if (value === undefined) continue;
    out[name] = secret.has(name) ? "[redacted]" : Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
