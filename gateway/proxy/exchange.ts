// One client HTTP exchange through the proxy, for access events and metrics: counts bytes as the
// response is written (whoever writes it: the HTTP forwarder or a hosted runtime), notices when the
// response is an SSE stream, and emits request / sse_start / sse_end / response exactly once each.
import type http from "node:http";
import { levelForStatus, type AccessEventSink, type TAccessEvent, type TAccessEventKind } from "../events/access-events";
import type { GatewayMetrics } from "../health";
import type { TJsonRpcSummary } from "./jsonrpc";

export type TExchangeInit = {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  requestId: string;
  traceId: string;
  path: string;
  sink: AccessEventSink | null;
  metrics: GatewayMetrics;
};

export class Exchange {
  readonly started = process.hrtime.bigint();
  readonly ts = new Date();
  organizationId: string | null = null;
  instanceId: string | null = null;
  tokenId: string | null = null;
  sessionId: string | null = null;
  rpc: TJsonRpcSummary | null = null;
  bytesIn = 0;
  bytesOut = 0;
  headers: Record<string, string> = {};
  timedOut = false;
  error: string | undefined;
  private sse = false;
  private requestEmitted = false;
  private done = false;

  constructor(private readonly init: TExchangeInit) {
    const res = init.res;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
    const count = (chunk: unknown, encoding?: unknown): void => {
      this.noticeStream();
      if (typeof chunk === "string") this.bytesOut += Buffer.byteLength(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      else if (chunk instanceof Uint8Array) this.bytesOut += chunk.length;
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      count(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== "function") count(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as typeof res.end;
    // flushHeaders() before any body: an SSE stream starts when its headers leave.
    const flushHeaders = res.flushHeaders.bind(res);
    res.flushHeaders = () => {
      flushHeaders();
      this.noticeStream();
    };
    res.once("close", () => this.finish());
  }

  private noticeStream(): void {
    if (this.sse || this.done) return;
    const ct = this.init.res.getHeader("content-type");
    if (typeof ct === "string" && ct.toLowerCase().startsWith("text/event-stream")) {
      this.sse = true;
      this.init.metrics.openSseStreams += 1;
      this.emit("sse_start", null);
    }
  }

  /** The request event; sent once the instance is known and the body (if any) was read. */
  emitRequest(): void {
    if (this.requestEmitted) return;
    this.requestEmitted = true;
    this.emit("request", null);
  }

  private finish(): void {
    if (this.done) return;
    const res = this.init.res;
    if (!res.writableFinished && !this.error) this.error = res.headersSent ? "client_closed_stream" : "client_closed";
    const status = res.headersSent ? res.statusCode : 499;
    if (this.sse) {
      this.init.metrics.openSseStreams -= 1;
      this.emit("sse_end", status);
    }
    this.emit("response", status);
    this.done = true;
    const seconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    this.init.metrics.observeProxy(this.instanceId ?? "unknown", status, seconds);
  }

  private emit(kind: TAccessEventKind, status: number | null): void {
    // Exchanges with no known instance (unknown ids, malformed paths) are counted in metrics only.
    if (!this.init.sink || !this.instanceId) return;
    if (kind !== "request" && !this.requestEmitted) {
      this.requestEmitted = true;
      this.emit("request", null);
    }
    const { req } = this.init;
    const items = this.rpc?.items ?? [];
    const latency = kind === "request" ? null : (process.hrtime.bigint() - this.started).toString();
    const event: TAccessEvent = {
      kind,
      ts: kind === "request" ? this.ts.toISOString() : new Date().toISOString(),
      level: kind === "request" || kind === "sse_start" ? "info" : levelForStatus(status, this.timedOut),
      organizationId: this.organizationId,
      instanceId: this.instanceId,
      tokenId: this.tokenId,
      traceId: this.init.traceId,
      requestId: this.init.requestId,
      sessionId: this.sessionId ?? (typeof this.init.res.getHeader("mcp-session-id") === "string" ? (this.init.res.getHeader("mcp-session-id") as string) : null),
      method: req.method ?? "",
      path: this.init.path,
      rpcMethods: items.map((i) => i.method).filter((m): m is string => m !== null),
      toolNames: items.map((i) => i.toolName).filter((t): t is string => t !== null),
      batch: this.rpc?.batch ?? false,
      status,
      latencyNs: latency,
      bytesIn: this.bytesIn,
      bytesOut: kind === "request" ? 0 : this.bytesOut,
      clientAddress: req.socket.remoteAddress ?? null,
      headers: this.headers,
      ...(this.error && kind !== "request" && kind !== "sse_start" ? { error: this.error } : {}),
    };
    this.init.sink.emit(event);
  }
}
