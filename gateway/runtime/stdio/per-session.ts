// per_session mode: every MCP session gets its own process, spawned on the session's initialize,
// stopped on DELETE / stream close / idle timeout / instance close. The process sees exactly one
// client, so messages pass through untouched; only routing needs their ids and progress tokens.
import type { THostedConfig } from "@/lib/validation/instances";
import type { TContainerLogLine } from "../logs/container-log-publisher";
import type { ClientSession, TBackend, TIncoming } from "./client-sessions";
import {
  classifyMessage,
  ERR_INVALID_REQUEST,
  ERR_SERVER,
  errorResponse,
  getProgressToken,
  idKey,
  isJsonRpcId,
  toLine,
  type TJsonRpcId,
  type TJsonRpcMessage,
} from "./jsonrpc";
import { StdioProcess } from "./stdio-process";

export const ERR_REQUEST_TIMEOUT = -32001;

type TPending = { id: TJsonRpcId; tokenKey?: string; timer?: NodeJS.Timeout };

type TSessionProc = {
  proc: StdioProcess;
  pending: Map<string, TPending>;
  /** progressToken key → the request key it belongs to. */
  tokens: Map<string, string>;
  initKey: string;
  initTimer?: NodeJS.Timeout;
};

export type TPerSessionOptions = {
  instanceId: string;
  config: THostedConfig;
  log: (line: TContainerLogLine) => void;
};

export class PerSessionBackend implements TBackend {
  private readonly holders = new Set<ClientSession>();
  private readonly procs = new Set<StdioProcess>();
  private readonly reaper: NodeJS.Timeout;

  constructor(private readonly opts: TPerSessionOptions) {
    const idle = opts.config.idleTimeoutMs;
    this.reaper = setInterval(() => this.reapIdle(), Math.max(50, Math.min(idle / 4, 5000)));
    this.reaper.unref();
  }

  get processCount(): number {
    return this.procs.size;
  }

  admit(session: ClientSession): string | null {
    if (this.holders.has(session)) return null;
    const max = this.opts.config.maxSessions;
    if (this.holders.size >= max) {
      return `This instance is at its limit of ${max} concurrent sessions (maxSessions = ${max}): each session runs its own process. Close an idle session or try again later.`;
    }
    this.holders.add(session);
    return null;
  }

  initialize(session: ClientSession, init: TIncoming): void {
    const id = init.msg.id as TJsonRpcId;
    const state: TSessionProc = {
      proc: null as unknown as StdioProcess,
      pending: new Map([[idKey(id), { id }]]),
      tokens: new Map(),
      initKey: idKey(id),
    };
    session.backendState = state;
    session.inflight = 1;
    let proc: StdioProcess;
    try {
      proc = this.spawn(session, state);
    } catch (err) {
      // spawn() throws synchronously for arguments it cannot pass (e.g. a NUL byte).
      this.opts.log({ ts: new Date().toISOString(), level: "error", replica: `session-${session.id.slice(0, 8)}`, stream: "event", line: `spawn failed: ${(err as Error).message}` });
      session.inflight = 0;
      session.backendState = undefined;
      session.deliver(errorResponse(id, ERR_SERVER, `Could not start the MCP server: ${(err as Error).message}`), id, true);
      session.terminate();
      return;
    }
    state.proc = proc;
    this.procs.add(proc);
    state.initTimer = setTimeout(() => {
      if (!state.pending.has(state.initKey)) return;
      proc.event("error", `startup timeout: no initialize response within ${this.opts.config.startupTimeoutMs} ms; killing it`);
      this.failPending(session, state, `The MCP server did not answer initialize within ${this.opts.config.startupTimeoutMs} ms (startup timeout)`);
      session.terminate();
    }, this.opts.config.startupTimeoutMs);
    state.initTimer.unref();
    proc.send(toLine(init.raw, init.msg));
  }

  private spawn(session: ClientSession, state: TSessionProc): StdioProcess {
    const proc: StdioProcess = new StdioProcess({
      instanceId: this.opts.instanceId,
      replica: `session-${session.id.slice(0, 8)}`,
      config: this.opts.config,
      log: this.opts.log,
      onMessage: (msg, raw) => this.fromServer(session, state, msg as TJsonRpcMessage, raw),
      onExit: ({ code, signal, spawnError }) => {
        this.procs.delete(proc);
        const why = spawnError
          ? `Could not start the MCP server: ${spawnError.message}`
          : `The MCP server process exited (code ${code ?? "null"}, signal ${signal ?? "null"})`;
        this.failPending(session, state, why);
        session.terminate();
      },
    });
    return proc;
  }

  message(session: ClientSession, { msg, raw }: TIncoming): void {
    session.touch();
    const state = session.backendState as TSessionProc | undefined;
    const kind = classifyMessage(msg);
    if (!state || state.proc.exited) {
      if (kind === "request") session.deliver(errorResponse(msg.id as TJsonRpcId, ERR_INVALID_REQUEST, "The session is not initialized"), msg.id as TJsonRpcId, true);
      return;
    }
    if (kind === "request") {
      const id = msg.id as TJsonRpcId;
      const key = idKey(id);
      const token = getProgressToken(msg);
      const pending: TPending = { id };
      if (token !== undefined) {
        pending.tokenKey = idKey(token);
        state.tokens.set(pending.tokenKey, key);
      }
      pending.timer = setTimeout(() => this.timeout(session, state, key), this.opts.config.requestTimeoutMs);
      pending.timer.unref();
      state.pending.set(key, pending);
      session.inflight++;
    } else if (kind === "notification" && msg.method === "notifications/cancelled") {
      const rid = (msg.params as { requestId?: unknown } | undefined)?.requestId;
      if (isJsonRpcId(rid)) this.settle(session, state, idKey(rid), () => session.abandon(rid));
    }
    state.proc.send(toLine(raw, msg));
  }

  closed(session: ClientSession): void {
    this.holders.delete(session);
    const state = session.backendState as TSessionProc | undefined;
    if (!state) return;
    if (state.initTimer) clearTimeout(state.initTimer);
    for (const p of state.pending.values()) if (p.timer) clearTimeout(p.timer);
    state.pending.clear();
    if (!state.proc.exited) {
      state.proc.event("info", "session ended; stopping its process");
      void state.proc.stop();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.reaper);
    await Promise.all([...this.procs].map((p) => p.stop()));
  }

  private fromServer(session: ClientSession, state: TSessionProc, msg: TJsonRpcMessage, raw: string): void {
    const kind = classifyMessage(msg);
    if (kind === "response") {
      if (!isJsonRpcId(msg.id)) return;
      const key = idKey(msg.id);
      if (key === state.initKey && state.initTimer) {
        clearTimeout(state.initTimer);
        state.initTimer = undefined;
        session.initialized = !("error" in msg);
      }
      const id = msg.id;
      this.settle(session, state, key, () => session.deliver(raw, id, true));
      return;
    }
    if (kind === "notification" && msg.method === "notifications/progress") {
      const token = (msg.params as { progressToken?: unknown } | undefined)?.progressToken;
      const reqKey = isJsonRpcId(token) ? state.tokens.get(idKey(token)) : undefined;
      const pending = reqKey ? state.pending.get(reqKey) : undefined;
      if (pending) {
        session.deliver(raw, pending.id);
        return;
      }
    }
    session.deliver(raw);
  }

  /** Removes a pending request (answered, cancelled or timed out) and runs `then` if it was pending. */
  private settle(session: ClientSession, state: TSessionProc, key: string, then: () => void): void {
    const pending = state.pending.get(key);
    if (!pending) return;
    state.pending.delete(key);
    if (pending.timer) clearTimeout(pending.timer);
    if (pending.tokenKey) state.tokens.delete(pending.tokenKey);
    session.inflight = Math.max(0, session.inflight - 1);
    session.touch();
    then();
  }

  private timeout(session: ClientSession, state: TSessionProc, key: string): void {
    const pending = state.pending.get(key);
    if (!pending) return;
    const ms = this.opts.config.requestTimeoutMs;
    this.settle(session, state, key, () =>
      session.deliver(errorResponse(pending.id, ERR_REQUEST_TIMEOUT, `The MCP server did not answer within ${ms} ms (request timeout)`), pending.id, true),
    );
    state.proc.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: pending.id, reason: "gateway request timeout" } }));
  }

  private failPending(session: ClientSession, state: TSessionProc, message: string): void {
    for (const [key, p] of [...state.pending]) {
      this.settle(session, state, key, () => session.deliver(errorResponse(p.id, ERR_SERVER, message), p.id, true));
    }
    if (!state.proc.exited) void state.proc.stop();
  }

  private reapIdle(): void {
    const now = Date.now();
    for (const session of this.holders) {
      const state = session.backendState as TSessionProc | undefined;
      if (!state || session.inflight > 0 || state.proc.exited) continue;
      if (now - session.lastActivity < this.opts.config.idleTimeoutMs) continue;
      state.proc.event("info", `reaped: idle for ${this.opts.config.idleTimeoutMs} ms`);
      session.terminate();
    }
  }
}
