// Small response helpers for the proxy: problem+json, CORS, the uniform 401.
import type http from "node:http";

export const CORS_ALLOW_HEADERS = [
  "content-type",
  "accept",
  "authorization",
  "api-key",
  "x-api-key",
  "mcp-session-id",
  "mcp-protocol-version",
  "last-event-id",
  "traceparent",
  "tracestate",
  "x-request-id",
];
export const CORS_EXPOSE_HEADERS = "mcp-session-id, mcp-protocol-version, x-trace-id, x-request-id, www-authenticate, retry-after";

/** CORS headers on every proxy response: browsers (the console's debug tool, inspectors) call the gateway cross-origin. Tokens travel in headers, never cookies, so any origin is safe. */
export function setCorsHeaders(res: http.ServerResponse): void {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
}

const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/** Answers a CORS preflight: the MCP headers plus whatever custom headers the browser asks for (token custom headers). */
export function sendPreflight(req: http.IncomingMessage, res: http.ServerResponse, methods: string): void {
  const requested = req.headers["access-control-request-headers"];
  const allow = typeof requested === "string" && requested.length <= 2048 && HEADER_LIST.test(requested) ? `${CORS_ALLOW_HEADERS.join(", ")}, ${requested}` : CORS_ALLOW_HEADERS.join(", ");
  res.writeHead(204, {
    "Access-Control-Allow-Methods": methods,
    "Access-Control-Allow-Headers": allow,
    "Access-Control-Max-Age": "600",
    Vary: "Access-Control-Request-Headers",
  });
  res.end();
}

/** RFC 9457 problem details with the request id. */
export function sendProblem(res: http.ServerResponse, status: number, title: string, detail: string, extra: { requestId?: string; instance?: string; headers?: Record<string, string> } = {}): void {
  const body = JSON.stringify({ type: "about:blank", title, status, detail, ...(extra.instance ? { instance: extra.instance } : {}), ...(extra.requestId ? { requestId: extra.requestId } : {}) });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    "Content-Type": "application/problem+json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(body)),
    "Cache-Control": "no-store",
    ...extra.headers,
  });
  res.end(body);
}

/**
 * The one 401 of the proxy. Its body carries nothing that depends on the instance or the request
 * (no path, no request id: that is in X-Request-Id) so that it is byte-identical whether the
 * instance exists, does not, or the id is malformed.
 */
export const UNAUTHORIZED_BODY = JSON.stringify({
  type: "about:blank",
  title: "Unauthorized",
  status: 401,
  detail: "A valid access token for this instance is required (Authorization: Bearer|Basic, Api-Key or X-API-Key).",
});

export function sendUnauthorized(res: http.ServerResponse): void {
  res.writeHead(401, {
    "Content-Type": "application/problem+json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(UNAUTHORIZED_BODY)),
    "Cache-Control": "no-store",
    "WWW-Authenticate": 'Bearer realm="mcpcan"',
  });
  res.end(UNAUTHORIZED_BODY);
}
