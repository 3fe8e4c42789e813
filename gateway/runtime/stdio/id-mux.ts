// JSON-RPC multiplexing of many client sessions over one stdio server (shared mode). Pure logic:
// it rewrites what must be unique on the replica (request ids, progress tokens, cancellations) and
// maps replies back to the session and the exact id it used; it does no I/O.
//
// Server→client requests (sampling, elicitation, roots/list) carry nothing that says which client
// request caused them, so they go to the session with the most recent request in flight on this
// replica. With several sessions in flight at once that guess can be wrong: a known limitation of
// sharing one stdio process between clients (per_session mode has no such ambiguity).
import {
  classifyMessage,
  ERR_INTERNAL,
  errorResponse,
  getProgressToken,
  idKey,
  isJsonRpcId,
  type TJsonRpcId,
  type TJsonRpcMessage,
} from "./jsonrpc";

type TInflight<S> = { session: S; origId: TJsonRpcId; tokenOut?: number };
type TToken<S> = { session: S; origToken: TJsonRpcId; replicaId: number };

/** What to do with a message that came from the replica. */
export type TRoute<S> =
  | { to: "session"; session: S; text: string; related?: TJsonRpcId; isResponse?: boolean }
  | { to: "broadcast"; text: string }
  /** Answer the replica itself (a server request no session can take). */
  | { to: "replica"; line: string }
  | { to: "internal"; id: number; msg: TJsonRpcMessage }
  | { to: "drop" };

export class IdMux<S> {
  private nextId = 1;
  private nextToken = 1;
  /** Rewritten request id → who asked, in the order asked (Map keeps insertion order). */
  private readonly inflight = new Map<number, TInflight<S>>();
  /** Per session: its own id key → rewritten id (cancellations, timeouts). */
  private readonly bySession = new Map<S, Map<string, number>>();
  private readonly tokens = new Map<number, TToken<S>>();
  /** Server→client requests awaiting a client's response: server id key → session. */
  private readonly serverRequests = new Map<string, { session: S; id: TJsonRpcId }>();
  private readonly internal = new Set<number>();

  get inflightCount(): number {
    return this.inflight.size;
  }

  /** An id for the runtime's own request (the replica's initialize). */
  internalId(): number {
    const id = this.nextId++;
    this.internal.add(id);
    return id;
  }

  /** A client request: returns the line for the replica and the id it was given there. */
  clientRequest(session: S, msg: TJsonRpcMessage): { line: string; replicaId: number } {
    const origId = msg.id as TJsonRpcId;
    const replicaId = this.nextId++;
    const entry: TInflight<S> = { session, origId };
    let out: TJsonRpcMessage = { ...msg, id: replicaId };
    const token = getProgressToken(msg);
    if (token !== undefined) {
      const tokenOut = this.nextToken++;
      entry.tokenOut = tokenOut;
      this.tokens.set(tokenOut, { session, origToken: token, replicaId });
      const params = msg.params as { _meta: Record<string, unknown> } & Record<string, unknown>;
      out = { ...out, params: { ...params, _meta: { ...params._meta, progressToken: tokenOut } } };
    }
    this.inflight.set(replicaId, entry);
    let own = this.bySession.get(session);
    if (!own) this.bySession.set(session, (own = new Map()));
    own.set(idKey(origId), replicaId);
    return { line: JSON.stringify(out), replicaId };
  }

  /**
   * A client notification: the line for the replica (null: swallow). A cancellation is rewritten to
   * the replica's id and reports which request it ended.
   */
  clientNotification(session: S, msg: TJsonRpcMessage, raw: string): { line: string | null; cancelled?: { replicaId: number; origId: TJsonRpcId } } {
    if (msg.method === "notifications/initialized") return { line: null }; // the runtime initialized the replica once
    if (msg.method === "notifications/cancelled") {
      const params = (msg.params ?? {}) as Record<string, unknown>;
      const rid = params.requestId;
      const replicaId = isJsonRpcId(rid) ? this.bySession.get(session)?.get(idKey(rid)) : undefined;
      if (replicaId === undefined || !isJsonRpcId(rid)) return { line: null };
      this.forget(replicaId);
      return { line: JSON.stringify({ ...msg, params: { ...params, requestId: replicaId } }), cancelled: { replicaId, origId: rid } };
    }
    return { line: raw };
  }

  /** A client's response to a server→client request: forwarded only if that request went to this session. */
  clientResponse(session: S, msg: TJsonRpcMessage, raw: string): string | null {
    if (!isJsonRpcId(msg.id)) return null;
    const key = idKey(msg.id);
    const pending = this.serverRequests.get(key);
    if (!pending || pending.session !== session) return null;
    this.serverRequests.delete(key);
    return raw;
  }

  /** Routes one message from the replica. */
  fromReplica(msg: TJsonRpcMessage, raw: string): TRoute<S> {
    const kind = classifyMessage(msg);
    if (kind === "response") {
      if (typeof msg.id !== "number") return { to: "drop" };
      if (this.internal.delete(msg.id)) return { to: "internal", id: msg.id, msg };
      const entry = this.forget(msg.id);
      if (!entry) return { to: "drop" }; // cancelled or timed out meanwhile
      return { to: "session", session: entry.session, text: JSON.stringify({ ...msg, id: entry.origId }), related: entry.origId, isResponse: true };
    }
    if (kind === "notification") {
      const params = (msg.params ?? {}) as Record<string, unknown>;
      if (msg.method === "notifications/progress") {
        const token = params.progressToken;
        const t = typeof token === "number" ? this.tokens.get(token) : undefined;
        if (!t) return { to: "drop" }; // progress of nobody's request must not be broadcast
        const entry = this.inflight.get(t.replicaId);
        return {
          to: "session",
          session: t.session,
          text: JSON.stringify({ ...msg, params: { ...params, progressToken: t.origToken } }),
          related: entry?.origId,
        };
      }
      if (msg.method === "notifications/cancelled" && isJsonRpcId(params.requestId)) {
        const pending = this.serverRequests.get(idKey(params.requestId));
        if (!pending) return { to: "drop" };
        this.serverRequests.delete(idKey(params.requestId));
        return { to: "session", session: pending.session, text: raw };
      }
      return { to: "broadcast", text: raw };
    }
    if (kind === "request") {
      const id = msg.id as TJsonRpcId;
      const latest = this.latestInflight();
      if (!latest) {
        return { to: "replica", line: errorResponse(id, ERR_INTERNAL, `No client session has a request in flight to take ${String(msg.method)}`) };
      }
      this.serverRequests.set(idKey(id), { session: latest.session, id });
      return { to: "session", session: latest.session, text: raw };
    }
    return { to: "drop" };
  }

  /** The original id of a rewritten request still in flight. */
  lookup(replicaId: number): { session: S; origId: TJsonRpcId } | undefined {
    const e = this.inflight.get(replicaId);
    return e && { session: e.session, origId: e.origId };
  }

  /** Drops an in-flight request (answered, cancelled, timed out); returns who had asked. */
  forget(replicaId: number): TInflight<S> | undefined {
    const entry = this.inflight.get(replicaId);
    if (!entry) return undefined;
    this.inflight.delete(replicaId);
    if (entry.tokenOut !== undefined) this.tokens.delete(entry.tokenOut);
    const own = this.bySession.get(entry.session);
    own?.delete(idKey(entry.origId));
    if (own?.size === 0) this.bySession.delete(entry.session);
    return entry;
  }

  /**
   * A session left: its in-flight requests are forgotten (the returned lines cancel them on the
   * replica) and server requests it was asked are answered with an error.
   */
  dropSession(session: S): { lines: string[]; replicaIds: number[] } {
    const lines: string[] = [];
    const replicaIds = [...(this.bySession.get(session)?.values() ?? [])];
    for (const replicaId of replicaIds) {
      this.forget(replicaId);
      lines.push(JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: replicaId, reason: "client session closed" } }));
    }
    for (const [key, p] of [...this.serverRequests]) {
      if (p.session !== session) continue;
      this.serverRequests.delete(key);
      lines.push(errorResponse(p.id, ERR_INTERNAL, "The client session closed"));
    }
    return { lines, replicaIds };
  }

  /** The replica died: every request in flight, with the session and id to answer. */
  drainAll(): Array<{ session: S; origId: TJsonRpcId; replicaId: number }> {
    const all = [...this.inflight].map(([replicaId, e]) => ({ session: e.session, origId: e.origId, replicaId }));
    this.inflight.clear();
    this.bySession.clear();
    this.tokens.clear();
    this.serverRequests.clear();
    this.internal.clear();
    return all;
  }

  private latestInflight(): TInflight<S> | undefined {
    let last: TInflight<S> | undefined;
    for (const e of this.inflight.values()) last = e;
    return last;
  }
}

/**
 * The protocol version a shared replica's cached initialize result is answered with: the client's,
 * if it is a version the SDK knows and not newer than what the replica negotiated (servers support
 * older revisions), else the replica's.
 */
export function negotiateProtocolVersion(clientVersion: unknown, serverVersion: string, known: readonly string[]): string {
  if (typeof clientVersion === "string" && known.includes(clientVersion) && clientVersion <= serverVersion) return clientVersion;
  return serverVersion;
}
