// Forwards one client request to an HTTP upstream and streams the answer back as it arrives:
// headers are flushed at once, SSE chunks are written the moment they are read (never buffered
// whole), the client going away aborts the upstream request, and an upstream that does not answer
// in time gets the client a JSON-RPC error carrying its request id instead of a hung connection.
import http from "node:http";
import https from "node:https";
import type { Exchange } from "./exchange";
import { filterResponseHeaders } from "./headers";
import { jsonRpcErrorBody, type TJsonRpcSummary } from "./jsonrpc";
import { sendProblem } from "./respond";

export const UPSTREAM_TIMEOUT_CODE = -32001;

export type TForwardInput = {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
  /** For SSE responses only the time to the response headers; for others, the whole response. */
  timeoutMs: number;
  /** The instance's injected header values: never echoed back to the client. */
  injected: Record<string, string>;
  rpc: TJsonRpcSummary | null;
  requestId: string;
  /** The client's path, for problem details. */
  path: string;
};

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 512 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 512 }),
};

/** Sends the request upstream; resolves with the upstream response (not yet read) or null when the client got an error. */
export function requestUpstream(
  input: TForwardInput,
  res: http.ServerResponse,
  ex: Exchange,
): Promise<http.IncomingMessage | null> {
  return new Promise((resolve) => {
    const lib = input.url.protocol === "https:" ? https : http;
    const headers = { ...input.headers };
    if (input.body && input.body.length > 0) headers["content-length"] = String(input.body.length);
    let settled = false;
    const upstreamReq = lib.request(input.url, { method: input.method, headers, agent: input.url.protocol === "https:" ? agents.https : agents.http });

    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      ex.timedOut = true;
      ex.error = "upstream_timeout";
      upstreamReq.destroy();
      answerTimeout(input, res);
      resolve(null);
    }, input.timeoutMs);

    const onClientClose = (): void => {
      if (!res.writableFinished) upstreamReq.destroy();
    };
    res.once("close", onClientClose);

    upstreamReq.once("response", (upstreamRes) => {
      if (settled) {
        upstreamRes.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      const isSse = (upstreamRes.headers["content-type"] ?? "").toLowerCase().startsWith("text/event-stream");
      if (!isSse) {
        // A JSON answer must also finish in time; past its headers the only honest signal is a reset.
        const stall = setTimeout(() => {
          if (upstreamRes.complete) return;
          ex.timedOut = true;
          ex.error = "upstream_timeout";
          upstreamRes.destroy();
          res.destroy();
        }, input.timeoutMs);
        upstreamRes.once("close", () => clearTimeout(stall));
      }
      resolve(upstreamRes);
    });
    upstreamReq.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      if (res.destroyed || (res.writableEnded && !res.headersSent)) return resolve(null);
      ex.error = `upstream_unreachable: ${err.code ?? err.message}`;
      sendProblem(res, 502, "Bad Gateway", `The instance's upstream could not be reached (${err.code ?? "connection failed"}).`, { requestId: input.requestId, instance: input.path });
      resolve(null);
    });
    upstreamReq.end(input.body && input.body.length > 0 ? input.body : undefined);
  });
}

function answerTimeout(input: TForwardInput, res: http.ServerResponse): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = input.method === "POST" && input.rpc ? jsonRpcErrorBody(input.rpc, UPSTREAM_TIMEOUT_CODE, "Upstream timeout") : null;
  if (body) {
    // 200 with a JSON-RPC error: the client's pending request settles with an error it can show.
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)), "Cache-Control": "no-store" });
    res.end(body);
    return;
  }
  sendProblem(res, 504, "Gateway Timeout", `The instance's upstream did not answer within ${input.timeoutMs} ms.`, { requestId: input.requestId, instance: input.path });
}

/** Streams an upstream response to the client: status, allowed headers (flushed now), then each chunk as it arrives. */
export function relayResponse(upstreamRes: http.IncomingMessage, res: http.ServerResponse, injected: Record<string, string>): void {
  const headers = filterResponseHeaders(upstreamRes.headers, injected);
  res.writeHead(upstreamRes.statusCode ?? 502, headers);
  res.flushHeaders();
  upstreamRes.on("data", (chunk: Buffer) => {
    if (!res.write(chunk)) {
      upstreamRes.pause();
      res.once("drain", () => upstreamRes.resume());
    }
  });
  upstreamRes.once("end", () => res.end());
  upstreamRes.once("error", () => res.destroy());
  upstreamRes.once("aborted", () => res.destroy());
  res.once("close", () => {
    if (!upstreamRes.complete) upstreamRes.destroy();
  });
}
