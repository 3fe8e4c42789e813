// shared mode: a pool of replica processes, each initialized once by the runtime, with many client
// sessions multiplexed over each (ids and progress tokens rewritten by IdMux). A session's
// initialize is answered from the replica's cached result; a crashed replica is replaced with
// backoff and its sessions move to another replica on their next message.
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import type { THostedConfig } from "@/lib/validation/instances";
import type { TContainerLogLine } from "../logs/container-log-publisher";
import type { ClientSession, TBackend, TIncoming } from "./client-sessions";
import { IdMux, negotiateProtocolVersion } from "./id-mux";
import { classifyMessage, ERR_SERVER, errorResponse, type TJsonRpcId, type TJsonRpcMessage } from "./jsonrpc";
import { ERR_REQUEST_TIMEOUT } from "./per-session";
import { StdioProcess } from "./stdio-process";

/** New replicas are started (up to maxReplicas) when the pool averages more sessions than this. */
export const SESSIONS_PER_REPLICA = 16;
const BACKOFF_MAX_MS = 30_000;
/** A replica that ran this long resets the crash backoff. */
const STABLE_AFTER_MS = 30_000;

/** What the runtime tells a replica about "its client": everything a client may be asked for. */
const RUNTIME_CLIENT_CAPABILITIES = { roots: { listChanged: true }, sampling: {}, elicitation: {} };

type TReplica = {
  n: number;
  label: string;
  proc: StdioProcess;
  mux: IdMux<ClientSession>;
  sessions: Set<ClientSession>;
  state: "starting" | "ready" | "dead";
  initResult?: Record<string, unknown>;
  readyAt?: number;
  emptySince: number;
  timers: Map<number, NodeJS.Timeout>;
};

export type TSharedOptions = {
  instanceId: string;
  config: THostedConfig;
  log: (line: TContainerLogLine) => void;
  /** Scale-up threshold (tests lower it); SESSIONS_PER_REPLICA by default. */
  sessionsPerReplica?: number;
  /** After `limit` crashes within `windowMs` the pool stops restarting and reports failed. */
  crashPolicy?: TCrashPolicy;
  onStateChange?: (state: "failed", message: string) => void;
};

export type TCrashPolicy = { limit: number; windowMs: number };
export const DEFAULT_CRASH_POLICY: TCrashPolicy = { limit: 5, windowMs: 5 * 60_000 };

export class SharedBackend implements TBackend {
  private readonly replicas = new Set<TReplica>();
  /** Every process not yet exited, including replicas being scaled down (close() waits for them). */
  private readonly live = new Set<StdioProcess>();
  private readonly sessionReplica = new Map<ClientSession, TReplica>();
  private readonly sessionQueue = new Map<ClientSession, Promise<void>>();
  private readonly waiters = new Set<() => void>();
  private readonly maintenance: NodeJS.Timeout;
  private restartTimer: NodeJS.Timeout | undefined;
  private consecutiveCrashes = 0;
  private readonly crashTimes: number[] = [];
  /** Set once the crash policy gave up; no replica is started again. */
  failed = false;
  private counter = 0;
  private closing = false;

  constructor(private readonly opts: TSharedOptions) {
    for (let i = 0; i < this.minReplicas; i++) this.spawnReplica();
    const idle = opts.config.idleTimeoutMs;
    this.maintenance = setInterval(() => this.maintain(), Math.max(50, Math.min(idle / 4, 5000)));
    this.maintenance.unref();
  }

  get processCount(): number {
    return this.live.size;
  }

  private get minReplicas(): number {
    return Math.max(1, this.opts.config.minReplicas);
  }

  private get maxReplicas(): number {
    return Math.max(this.minReplicas, this.opts.config.maxReplicas);
  }

  admit(): string | null {
    return null;
  }

  initialize(session: ClientSession, init: TIncoming): void {
    const id = init.msg.id as TJsonRpcId;
    session.inflight++;
    this.enqueue(session, async () => {
      const replica = await this.assign(session);
      session.inflight = Math.max(0, session.inflight - 1);
      if (!replica?.initResult) {
        session.deliver(errorResponse(id, ERR_SERVER, `No MCP server replica became ready within ${this.opts.config.startupTimeoutMs} ms (startup timeout)`), id, true);
        session.terminate();
        return;
      }
      const serverVersion = String(replica.initResult.protocolVersion ?? LATEST_PROTOCOL_VERSION);
      const clientVersion = (init.msg.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      const protocolVersion = negotiateProtocolVersion(clientVersion, serverVersion, SUPPORTED_PROTOCOL_VERSIONS);
      session.initialized = true;
      session.deliver(JSON.stringify({ jsonrpc: "2.0", id, result: { ...replica.initResult, protocolVersion } }), id, true);
      this.maybeScaleUp();
    });
  }

  message(session: ClientSession, incoming: TIncoming): void {
    session.touch();
    const kind = classifyMessage(incoming.msg);
    if (kind === "request") session.inflight++;
    const replica = this.sessionReplica.get(session);
    if (replica?.state === "ready" && !this.sessionQueue.has(session)) {
      this.relay(session, replica, incoming);
      return;
    }
    // The session's replica died (or none is ready yet): wait for one, keeping the session's order.
    this.enqueue(session, async () => {
      const r = await this.assign(session);
      if (r) {
        this.relay(session, r, incoming);
        return;
      }
      if (kind === "request") {
        session.inflight = Math.max(0, session.inflight - 1);
        const id = incoming.msg.id as TJsonRpcId;
        session.deliver(errorResponse(id, ERR_SERVER, "No MCP server replica is available"), id, true);
      }
    });
  }

  closed(session: ClientSession): void {
    const replica = this.sessionReplica.get(session);
    this.sessionReplica.delete(session);
    this.sessionQueue.delete(session);
    if (!replica) return;
    replica.sessions.delete(session);
    if (replica.sessions.size === 0) replica.emptySince = Date.now();
    const { lines, replicaIds } = replica.mux.dropSession(session);
    for (const id of replicaIds) this.clearTimer(replica, id);
    for (const line of lines) replica.proc.send(line);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.maintenance);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    for (const w of [...this.waiters]) w();
    await Promise.all([...this.live].map((p) => p.stop()));
  }

  private relay(session: ClientSession, replica: TReplica, { msg, raw }: TIncoming): void {
    const kind = classifyMessage(msg);
    if (kind === "request") {
      const { line, replicaId } = replica.mux.clientRequest(session, msg);
      const timer = setTimeout(() => {
        const entry = replica.mux.forget(replicaId);
        replica.timers.delete(replicaId);
        if (!entry) return;
        this.settled(session, entry.origId, errorResponse(entry.origId, ERR_REQUEST_TIMEOUT, `The MCP server did not answer within ${this.opts.config.requestTimeoutMs} ms (request timeout)`));
        replica.proc.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: replicaId, reason: "gateway request timeout" } }));
      }, this.opts.config.requestTimeoutMs);
      timer.unref();
      replica.timers.set(replicaId, timer);
      replica.proc.send(line);
      return;
    }
    if (kind === "notification") {
      const { line, cancelled } = replica.mux.clientNotification(session, msg, raw ?? JSON.stringify(msg));
      if (cancelled) {
        this.clearTimer(replica, cancelled.replicaId);
        session.inflight = Math.max(0, session.inflight - 1);
        session.abandon(cancelled.origId);
      }
      if (line !== null) replica.proc.send(line.includes("\n") ? JSON.stringify(msg) : line);
      return;
    }
    if (kind === "response") {
      const line = replica.mux.clientResponse(session, msg, raw ?? JSON.stringify(msg));
      if (line !== null) replica.proc.send(line.includes("\n") ? JSON.stringify(msg) : line);
    }
  }

  private settled(session: ClientSession, origId: TJsonRpcId, text: string): void {
    session.inflight = Math.max(0, session.inflight - 1);
    session.deliver(text, origId, true);
  }

  private clearTimer(replica: TReplica, replicaId: number): void {
    const t = replica.timers.get(replicaId);
    if (t) clearTimeout(t);
    replica.timers.delete(replicaId);
  }

  private fromReplica(replica: TReplica, msg: TJsonRpcMessage, raw: string): void {
    const route = replica.mux.fromReplica(msg, raw);
    switch (route.to) {
      case "session":
        if (route.isResponse && route.related !== undefined) {
          // route.related is the client's id; the timer is keyed by the replica's id (the message's).
          this.clearTimer(replica, msg.id as number);
          this.settled(route.session, route.related, route.text);
        } else {
          route.session.deliver(route.text, route.related);
        }
        return;
      case "broadcast":
        for (const s of replica.sessions) s.deliver(route.text);
        return;
      case "replica":
        replica.proc.send(route.line);
        return;
      case "internal":
        this.onInitialized(replica, route.msg);
        return;
      case "drop":
        return;
    }
  }

  private spawnReplica(): TReplica {
    const n = ++this.counter;
    const mux = new IdMux<ClientSession>();
    const replica: TReplica = {
      n,
      label: `replica-${n}`,
      proc: null as unknown as StdioProcess,
      mux,
      sessions: new Set(),
      state: "starting",
      emptySince: Date.now(),
      timers: new Map(),
    };
    replica.proc = new StdioProcess({
      instanceId: this.opts.instanceId,
      replica: replica.label,
      config: this.opts.config,
      log: this.opts.log,
      onMessage: (msg, raw) => this.fromReplica(replica, msg as TJsonRpcMessage, raw),
      onExit: (info) => {
        this.live.delete(replica.proc);
        this.onReplicaExit(replica, info);
      },
    });
    this.live.add(replica.proc);
    this.replicas.add(replica);
    const initId = mux.internalId();
    replica.proc.send(
      JSON.stringify({
        jsonrpc: "2.0",
        id: initId,
        method: "initialize",
        params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: RUNTIME_CLIENT_CAPABILITIES, clientInfo: { name: "mcpcan-gateway", version: "1" } },
      }),
    );
    const startup = setTimeout(() => {
      if (replica.state !== "starting") return;
      replica.proc.event("error", `startup timeout: no initialize response within ${this.opts.config.startupTimeoutMs} ms; killing it`);
      void replica.proc.stop();
    }, this.opts.config.startupTimeoutMs);
    startup.unref();
    return replica;
  }

  private onInitialized(replica: TReplica, msg: TJsonRpcMessage): void {
    if (replica.state !== "starting") return;
    const result = msg.result as Record<string, unknown> | undefined;
    if (!result || "error" in msg) {
      replica.proc.event("error", `initialize failed: ${JSON.stringify(msg.error ?? null)}`);
      void replica.proc.stop();
      return;
    }
    replica.initResult = result;
    replica.state = "ready";
    replica.readyAt = Date.now();
    replica.emptySince = Math.max(replica.emptySince, replica.readyAt);
    replica.proc.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    replica.proc.event("info", `initialized (protocol ${String(result.protocolVersion)})`);
    for (const w of [...this.waiters]) w();
  }

  private onReplicaExit(replica: TReplica, info: { code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }): void {
    const wasReady = replica.state === "ready";
    // A replica stopped on purpose (scale-down) was marked dead before its exit: not a crash.
    const retired = replica.state === "dead";
    replica.state = "dead";
    this.replicas.delete(replica);
    for (const t of replica.timers.values()) clearTimeout(t);
    replica.timers.clear();
    const why = info.spawnError
      ? `Could not start the MCP server: ${info.spawnError.message}`
      : `The MCP server replica exited (code ${info.code ?? "null"}, signal ${info.signal ?? "null"})`;
    for (const { session, origId } of replica.mux.drainAll()) this.settled(session, origId, errorResponse(origId, ERR_SERVER, why));
    for (const s of replica.sessions) this.sessionReplica.delete(s);
    replica.sessions.clear();
    if (this.closing || retired) return;
    const policy = this.opts.crashPolicy ?? DEFAULT_CRASH_POLICY;
    const now = Date.now();
    this.crashTimes.push(now);
    while (this.crashTimes.length && now - this.crashTimes[0]! > policy.windowMs) this.crashTimes.shift();
    if (this.crashTimes.length >= policy.limit) {
      if (!this.failed && this.replicas.size === 0) {
        this.failed = true;
        const message = `${this.crashTimes.length} crashes within ${Math.round(policy.windowMs / 1000)} s: not restarting; fix the server or its configuration, then restart the instance`;
        replica.proc.event("error", message);
        this.opts.onStateChange?.("failed", message);
        for (const w of [...this.waiters]) w();
      }
      return;
    }
    if (this.replicas.size >= this.minReplicas) return;
    if (wasReady && replica.readyAt && Date.now() - replica.readyAt >= STABLE_AFTER_MS) this.consecutiveCrashes = 0;
    const delay = Math.min(BACKOFF_MAX_MS, 1000 * 2 ** this.consecutiveCrashes);
    this.consecutiveCrashes++;
    replica.proc.event("warn", `restarting in ${delay} ms`);
    if (this.restartTimer) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.closing) return;
      while (this.replicas.size < this.minReplicas) this.spawnReplica();
    }, delay);
    this.restartTimer.unref();
  }

  /** The session's replica, or a ready one with the fewest sessions (waiting up to the startup timeout). */
  private async assign(session: ClientSession): Promise<TReplica | null> {
    const current = this.sessionReplica.get(session);
    if (current?.state === "ready") return current;
    const deadline = Date.now() + this.opts.config.startupTimeoutMs;
    for (;;) {
      if (session.terminated || this.closing || this.failed) return null;
      let best: TReplica | null = null;
      for (const r of this.replicas) if (r.state === "ready" && (!best || r.sessions.size < best.sessions.size)) best = r;
      if (best) {
        best.sessions.add(session);
        this.sessionReplica.set(session, best);
        return best;
      }
      if (this.replicas.size === 0 && !this.restartTimer) this.spawnReplica();
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(t);
          this.waiters.delete(done);
          resolve();
        };
        const t = setTimeout(done, left);
        t.unref();
        this.waiters.add(done);
      });
    }
  }

  private enqueue(session: ClientSession, task: () => Promise<void>): void {
    const prev = this.sessionQueue.get(session) ?? Promise.resolve();
    const next = prev.then(task).catch(() => undefined);
    this.sessionQueue.set(session, next);
    void next.then(() => {
      if (this.sessionQueue.get(session) === next) this.sessionQueue.delete(session);
    });
  }

  private maybeScaleUp(): void {
    const live = [...this.replicas].filter((r) => r.state !== "dead");
    if (live.length >= this.maxReplicas) return;
    const sessions = this.sessionReplica.size;
    if (sessions > live.length * (this.opts.sessionsPerReplica ?? SESSIONS_PER_REPLICA)) {
      const r = this.spawnReplica();
      r.proc.event("info", `scaling up: ${sessions} sessions on ${live.length} replica(s)`);
    }
  }

  private maintain(): void {
    const now = Date.now();
    const idle = this.opts.config.idleTimeoutMs;
    for (const session of [...this.sessionReplica.keys()]) {
      if (session.inflight === 0 && now - session.lastActivity >= idle) session.terminate();
    }
    // Scale down idle extra replicas, keeping minReplicas.
    let ready = [...this.replicas].filter((r) => r.state === "ready");
    for (const r of ready) {
      if (ready.length <= this.minReplicas) break;
      if (r.sessions.size === 0 && now - r.emptySince >= idle) {
        r.proc.event("info", "scaling down: no sessions");
        r.state = "dead";
        this.replicas.delete(r);
        void r.proc.stop();
        ready = ready.filter((x) => x !== r);
      }
    }
  }
}
