// What the proxy forwards a client's MCP request to. Remote and hosted-HTTP instances are reached
// over HTTP; hosted stdio instances are bridged in-process by the runtime.
import type http from "node:http";

export type THttpUpstream = {
  kind: "http";
  /** The upstream MCP endpoint (Streamable HTTP `/mcp`, or the legacy SSE `/sse` URL). */
  url: string;
  transport: "streamable_http" | "sse";
  /** Injected towards the upstream (decrypted); never returned to the client. */
  headers: Record<string, string>;
  timeoutMs: number;
};

export type TLocalRequestContext = {
  instanceId: string;
  /** The gateway path prefix of this instance, e.g. /mcp-gateway/<id> (for rewriting SSE endpoints). */
  basePath: string;
  /** Headers the client may pass through to the server (token pass-through headers). */
  passHeaders: Record<string, string>;
};

export type TLocalUpstream = {
  kind: "local";
  /** Serves one client HTTP request (Streamable HTTP or legacy SSE) against the hosted process(es). */
  handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer | null, ctx: TLocalRequestContext): Promise<void>;
};

export type TUpstream = THttpUpstream | TLocalUpstream;
