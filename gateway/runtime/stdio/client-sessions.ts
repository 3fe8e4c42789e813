// The client side of the stdio bridge: MCP sessions over Streamable HTTP (POST/GET/DELETE on
// <base>/mcp) and legacy HTTP+SSE (GET <base>/sse + POST <base>/message?sessionId=). Messages are
// relayed as text; this layer parses only to route (ids, methods) and never re-serialises what it
// forwards. Which process answers is the backend's business (per_session or shared).
import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { TLocalRequestContext } from "../../upstream/types";
import {
  classifyMessage,
  ERR_INVALID_REQUEST,
  ERR_PARSE,
  ERR_SERVER,
  errorResponse,
  idKey,
  type TJsonRpcId,
  type TJsonRpcMessage,
} from "./jsonrpc";

const KEEPALIVE_MS = 15_000;
const MAX_QUEUED = 1000;

export type TIncoming = { msg: TJsonRpcMessage; raw: string | undefined };

export type TBackend = {
  /** Refuses a new session (returns the JSON-RPC error message) or reserves room for it. */
  admit(session: ClientSession): string | null;
  /** The session's `initialize` request; the backend answers it through session.deliver. */
  initialize(session: ClientSession, req: TIncoming): void;
  /** Any other message from the client (requests, notifications, responses to server requests). */
  message(session: ClientSession, incoming: TIncoming): void;
  /** The session ended (DELETE, stream closed, reaped, process exited); release what it holds. */
  closed(session: ClientSession): void;
};

type TPostStream = { res: http.ServerResponse; pending: Set<string>; sse: boolean; batch: boolean; collected: string[] };

function writeSse(res: http.ServerResponse, text: string): void {
  if (!res.writableEnded) res.write(`event: message\ndata: ${text}\n\n`);
}

function openSse(res: http.ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no", ...headers });
  res.flushHeaders();
}

function keepAlive(res: http.ServerResponse): () => void {
  const t = setInterval(() => {
    if (!res.writableEnded) res.write(": keepalive\n\n");
  }, KEEPALIVE_MS);
  t.unref();
  return () => clearInterval(t);
}

/** One MCP session of one client, whichever transport it came over. */
export class ClientSession {
  readonly id = randomUUID();
  lastActivity = Date.now();
  /** Client requests awaiting an answer (the backend counts; an idle session has none). */
  inflight = 0;
  initialized = false;
  terminated = false;
  /** Backend state hangs here (the process or replica of this session). */
  backendState: unknown;
  private readonly postStreams = new Map<string, TPostStream>();
  private readonly openPosts: TPostStream[] = [];
  private serverStream: http.ServerResponse | null = null;
  private stopKeepAlive: (() => void) | null = null;
  private readonly queue: string[] = [];

  constructor(
    readonly kind: "streamable" | "sse",
    private readonly onTerminate: (s: ClientSession) => void,
  ) {}

  get hasServerStream(): boolean {
    return this.serverStream !== null;
  }

  /** The client gave up on a request (cancelled, timed out): close its HTTP stream once nothing else is pending. */
  abandon(id: TJsonRpcId): void {
    const key = idKey(id);
    const stream = this.postStreams.get(key);
    if (!stream) return;
    this.postStreams.delete(key);
    stream.pending.delete(key);
    if (stream.pending.size === 0) this.endPost(stream);
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /**
   * Sends one message to the client. A response, or a message related to a client request (progress),
   * goes to the stream of the HTTP request that carried that request; anything else to the session's
   * server stream (GET or legacy SSE), else the newest open POST stream, else a bounded queue.
   */
  deliver(text: string, related?: TJsonRpcId, isResponse = false): void {
    if (this.terminated) return;
    this.touch();
    if (this.kind === "sse") {
      if (this.serverStream) writeSse(this.serverStream, text);
      return;
    }
    if (related !== undefined) {
      const key = idKey(related);
      const stream = this.postStreams.get(key);
      if (stream) {
        if (stream.sse) writeSse(stream.res, text);
        else if (isResponse) stream.collected.push(text);
        if (isResponse) {
          this.postStreams.delete(key);
          stream.pending.delete(key);
          if (stream.pending.size === 0) this.endPost(stream);
        }
        return;
      }
      // The request's HTTP stream is gone (client disconnected): its response has nowhere to go.
      if (isResponse) return;
    }
    if (this.serverStream) {
      writeSse(this.serverStream, text);
      return;
    }
    const post = this.openPosts.findLast((p) => p.sse);
    if (post) {
      writeSse(post.res, text);
      return;
    }
    if (this.queue.length >= MAX_QUEUED) this.queue.shift();
    this.queue.push(text);
  }

  /** Ends the session: every stream closes and the backend releases it. Idempotent. */
  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    for (const p of [...this.openPosts]) this.endPost(p);
    this.postStreams.clear();
    this.stopKeepAlive?.();
    this.serverStream?.end();
    this.serverStream = null;
    this.onTerminate(this);
  }

  attachPost(res: http.ServerResponse, requestIds: TJsonRpcId[], sse: boolean, batch: boolean): void {
    const stream: TPostStream = { res, pending: new Set(requestIds.map(idKey)), sse, batch, collected: [] };
    for (const key of stream.pending) this.postStreams.set(key, stream);
    this.openPosts.push(stream);
    // Long tool calls: keep proxies from timing out a quiet response stream.
    const stopKeepAlive = sse ? keepAlive(res) : () => undefined;
    res.on("close", () => {
      stopKeepAlive();
      // The client went away before every response: forget the stream (responses are dropped).
      for (const key of stream.pending) if (this.postStreams.get(key) === stream) this.postStreams.delete(key);
      this.removePost(stream);
    });
  }

  attachServerStream(res: http.ServerResponse): boolean {
    if (this.serverStream) return false;
    this.serverStream = res;
    this.stopKeepAlive = keepAlive(res);
    res.on("close", () => {
      if (this.serverStream !== res) return;
      this.stopKeepAlive?.();
      this.serverStream = null;
      // The legacy SSE stream is the session: it ends with it.
      if (this.kind === "sse") this.terminate();
    });
    for (const text of this.queue.splice(0)) writeSse(res, text);
    return true;
  }

  private endPost(stream: TPostStream): void {
    this.removePost(stream);
    if (stream.res.writableEnded) return;
    if (!stream.sse) {
      if (!stream.res.headersSent) stream.res.writeHead(200, { "content-type": "application/json", "mcp-session-id": this.id });
      const body = stream.batch ? `[${stream.collected.join(",")}]` : (stream.collected[0] ?? "");
      stream.res.end(body);
      return;
    }
    stream.res.end();
  }

  private removePost(stream: TPostStream): void {
    const i = this.openPosts.indexOf(stream);
    if (i !== -1) this.openPosts.splice(i, 1);
  }
}

function sendJson(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}

function parseBody(body: Buffer | null): { ok: true; value: unknown; text: string } | { ok: false } {
  if (!body || body.length === 0) return { ok: false };
  const text = body.toString("utf8");
  try {
    return { ok: true, value: JSON.parse(text), text };
  } catch {
    return { ok: false };
  }
}

/** Splits a POST body into messages, keeping the client's own text for a single message. */
function toIncoming(parsed: { value: unknown; text: string }): { batch: boolean; items: TIncoming[] } | null {
  if (Array.isArray(parsed.value)) {
    if (parsed.value.length === 0) return null;
    return { batch: true, items: parsed.value.map((m) => ({ msg: m as TJsonRpcMessage, raw: undefined })) };
  }
  return { batch: false, items: [{ msg: parsed.value as TJsonRpcMessage, raw: parsed.text.trim() }] };
}

/** Routes HTTP requests of one instance to its sessions and the backend. */
export class ClientSessions {
  readonly sessions = new Map<string, ClientSession>();
  closing = false;

  constructor(private readonly backend: TBackend) {}

  get size(): number {
    return this.sessions.size;
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer | null, ctx: TLocalRequestContext): Promise<void> {
    const url = new URL(req.url ?? "/", "http://gateway.invalid");
    const sub = url.pathname.startsWith(ctx.basePath) ? url.pathname.slice(ctx.basePath.length) : url.pathname;
    if (this.closing) {
      sendJson(res, 503, errorResponse(null, ERR_SERVER, "The instance is stopping"));
      return;
    }
    if (sub === "/mcp" || sub === "/mcp/") return this.handleStreamable(req, res, body);
    if (sub === "/sse" && req.method === "GET") return this.openLegacy(res, ctx);
    if (sub === "/message" || sub === "/messages") return this.handleLegacyMessage(req, res, body, url);
    sendJson(res, 404, errorResponse(null, ERR_INVALID_REQUEST, "Not found"));
  }

  /** Ends every session (instance shutdown). */
  terminateAll(): void {
    for (const s of [...this.sessions.values()]) s.terminate();
  }

  private newSession(kind: "streamable" | "sse"): ClientSession {
    return new ClientSession(kind, (s) => {
      this.sessions.delete(s.id);
      this.backend.closed(s);
    });
  }

  private async handleStreamable(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer | null): Promise<void> {
    const sessionId = req.headers["mcp-session-id"];
    const sid = Array.isArray(sessionId) ? sessionId[0] : sessionId;
    if (req.method === "POST") return this.streamablePost(req, res, body, sid);
    if (req.method === "GET") {
      if (!String(req.headers.accept ?? "").includes("text/event-stream")) {
        sendJson(res, 406, errorResponse(null, ERR_INVALID_REQUEST, "Not Acceptable: the client must accept text/event-stream"));
        return;
      }
      const session = this.findSession(res, sid, "streamable");
      if (!session) return;
      if (session.hasServerStream) {
        sendJson(res, 409, errorResponse(null, ERR_INVALID_REQUEST, "Conflict: only one server stream per session"));
        return;
      }
      openSse(res, { "mcp-session-id": session.id });
      session.attachServerStream(res);
      return;
    }
    if (req.method === "DELETE") {
      const session = this.findSession(res, sid, "streamable");
      if (!session) return;
      session.terminate();
      res.writeHead(200).end();
      return;
    }
    res.writeHead(405, { allow: "GET, POST, DELETE", "content-type": "application/json" });
    res.end(errorResponse(null, ERR_INVALID_REQUEST, "Method not allowed"));
  }

  private findSession(res: http.ServerResponse, sid: string | undefined, kind: "streamable" | "sse"): ClientSession | null {
    if (!sid) {
      sendJson(res, 400, errorResponse(null, ERR_INVALID_REQUEST, "Bad Request: Mcp-Session-Id header is required"));
      return null;
    }
    const session = this.sessions.get(sid);
    if (!session || session.kind !== kind) {
      sendJson(res, 404, errorResponse(null, -32001, "Session not found"));
      return null;
    }
    return session;
  }

  private async streamablePost(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer | null, sid: string | undefined): Promise<void> {
    const parsed = parseBody(body);
    const incoming = parsed.ok ? toIncoming(parsed) : null;
    if (!incoming) {
      sendJson(res, 400, errorResponse(null, ERR_PARSE, "Parse error: the body must be a JSON-RPC message or batch"));
      return;
    }
    const kinds = incoming.items.map((i) => classifyMessage(i.msg));
    if (kinds.includes("invalid")) {
      sendJson(res, 400, errorResponse(null, ERR_INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message"));
      return;
    }
    const accept = String(req.headers.accept ?? "");
    const sse = accept.includes("text/event-stream") || !accept.includes("application/json");
    const init = incoming.items.find((i) => i.msg.method === "initialize");
    if (init) {
      if (sid) {
        sendJson(res, 400, errorResponse(null, ERR_INVALID_REQUEST, "Invalid Request: the session is already initialized"));
        return;
      }
      if (incoming.items.length > 1) {
        sendJson(res, 400, errorResponse(null, ERR_INVALID_REQUEST, "Invalid Request: initialize must be sent alone"));
        return;
      }
      const session = this.newSession("streamable");
      const refusal = this.backend.admit(session);
      if (refusal) {
        // 200 with the JSON-RPC error: SDK clients reject initialize with this code and message,
        // where a 5xx would surface as a transport error (and some clients retry 5xx).
        sendJson(res, 200, errorResponse(init.msg.id as TJsonRpcId, ERR_SERVER, refusal));
        return;
      }
      this.sessions.set(session.id, session);
      if (sse) openSse(res, { "mcp-session-id": session.id });
      session.attachPost(res, [init.msg.id as TJsonRpcId], sse, false);
      this.backend.initialize(session, init);
      return;
    }
    const session = this.findSession(res, sid, "streamable");
    if (!session) return;
    const requestIds = incoming.items.filter((_, i) => kinds[i] === "request").map((i) => i.msg.id as TJsonRpcId);
    if (requestIds.length === 0) {
      res.writeHead(202).end();
    } else {
      if (sse) openSse(res, { "mcp-session-id": session.id });
      session.attachPost(res, requestIds, sse, incoming.batch);
    }
    for (const item of incoming.items) this.backend.message(session, item);
  }

  private openLegacy(res: http.ServerResponse, ctx: TLocalRequestContext): void {
    const session = this.newSession("sse");
    this.sessions.set(session.id, session);
    openSse(res);
    // The endpoint points at the gateway, never at anything behind it.
    res.write(`event: endpoint\ndata: ${ctx.basePath}/message?sessionId=${session.id}\n\n`);
    session.attachServerStream(res);
  }

  private async handleLegacyMessage(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer | null, url: URL): Promise<void> {
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    const session = this.findSession(res, url.searchParams.get("sessionId") ?? undefined, "sse");
    if (!session) return;
    const parsed = parseBody(body);
    const incoming = parsed.ok ? toIncoming(parsed) : null;
    if (!incoming || incoming.items.some((i) => classifyMessage(i.msg) === "invalid")) {
      sendJson(res, 400, errorResponse(null, ERR_PARSE, "Parse error: the body must be a JSON-RPC message"));
      return;
    }
    res.writeHead(202, { "content-type": "text/plain" }).end("Accepted");
    for (const item of incoming.items) {
      if (item.msg.method === "initialize" && classifyMessage(item.msg) === "request") {
        if (session.initialized) {
          session.deliver(errorResponse(item.msg.id as TJsonRpcId, ERR_INVALID_REQUEST, "The session is already initialized"));
          continue;
        }
        const refusal = this.backend.admit(session);
        if (refusal) {
          session.deliver(errorResponse(item.msg.id as TJsonRpcId, ERR_SERVER, refusal), item.msg.id as TJsonRpcId, true);
          // Let the error reach the client before the stream closes.
          setTimeout(() => session.terminate(), 50).unref();
          continue;
        }
        this.backend.initialize(session, item);
        continue;
      }
      this.backend.message(session, item);
    }
  }
}
