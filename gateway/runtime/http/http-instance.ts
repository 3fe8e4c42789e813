// A hosted HTTP MCP server (Streamable HTTP): `replicas` separate processes, each on its own port
// (PORT env), in the instance's working directory and its own process group. The gateway balances
// new sessions onto the replica with the fewest sessions and keeps a session on its replica
// (Mcp-Session-Id → replica, in memory and in Redis). Crashed replicas restart with exponential
// backoff; too many crashes in a window leave a replica down, and the instance failed when none is left.
import { readLines } from "../lines";
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { getRedis } from "@/lib/redis";
import type { THostedConfig } from "@/lib/validation/instances";
import { UPSTREAM_TIMEOUT_CODE } from "../../proxy/forward";
import { HOP_BY_HOP } from "../../proxy/headers";
import { jsonRpcErrorBody, summarizeJsonRpc } from "../../proxy/jsonrpc";
import type { TLocalUpstream } from "../../upstream/types";
import type { TContainerLogLevel, TContainerLogLine } from "../logs/container-log-publisher";
import { buildChildEnv, instanceWorkDir, KILL_GRACE_MS } from "../stdio/stdio-process";

export type THttpInstanceState = "running" | "degraded" | "failed";

export type THttpInstanceOptions = {
  instanceId: string;
  organizationId?: string;
  /** env values in plaintext (already opened). */
  config: THostedConfig;
  replicas: number;
  logSink?: (line: TContainerLogLine) => void;
  onStateChange?: (state: THttpInstanceState, message: string) => void;
  /** First restart delay; doubles per crash up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** This many crashes within crashWindowMs leave the replica down. */
  maxCrashes?: number;
  crashWindowMs?: number;
  affinityTtlSeconds?: number;
  killGraceMs?: number;
};

export type THttpInstance = TLocalUpstream & {
  close(): Promise<void>;
  stats(): { processes: number; sessions: number };
  /** Which replica index a session is pinned to (tests and diagnostics). */
  replicaOf(sessionId: string): number | undefined;
};

type TReplica = {
  index: number;
  label: string;
  port: number;
  child: ChildProcess | null;
  pid: number | undefined;
  ready: boolean;
  down: boolean;
  crashes: number[];
  sessions: Set<string>;
  exited: Promise<void>;
  restartTimer: NodeJS.Timeout | undefined;
  killTimer: NodeJS.Timeout | undefined;
};

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
    s.setTimeout(1000, () => done(false));
  });
}

function problem(res: http.ServerResponse, status: number, title: string, detail: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "content-type": "application/problem+json" });
  res.end(JSON.stringify({ title, status, detail }));
}

/** No answer for a POST: a JSON-RPC error per request id (so the client's requests settle), else a problem. */
function rpcFailure(res: http.ServerResponse, req: http.IncomingMessage, body: Buffer | null, rpcStatus: number, code: number, status: number, title: string, detail: string): void {
  const summary = req.method === "POST" ? summarizeJsonRpc(body) : null;
  const rpc = summary ? jsonRpcErrorBody(summary, code, detail) : null;
  if (!rpc || res.headersSent) return problem(res, status, title, detail);
  res.writeHead(rpcStatus, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(rpc);
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function createHttpInstance(opts: THttpInstanceOptions): THttpInstance {
  const { config, instanceId } = opts;
  const count = Math.max(1, Math.min(Math.max(opts.replicas, config.minReplicas), config.maxReplicas));
  const backoffMs = opts.backoffMs ?? 1000;
  const maxBackoffMs = opts.maxBackoffMs ?? 30_000;
  const maxCrashes = opts.maxCrashes ?? 5;
  const crashWindowMs = opts.crashWindowMs ?? 5 * 60_000;
  const ttl = opts.affinityTtlSeconds ?? 3600;
  const grace = opts.killGraceMs ?? KILL_GRACE_MS;
  const affinityKey = (sid: string): string => `affinity:${instanceId}:${sid}`;
  const sessions = new Map<string, number>();
  const replicas: TReplica[] = [];
  let closed = false;
  let lastState: THttpInstanceState = "running"; // the registry records "running" itself; only changes are reported

  const log = (level: TContainerLogLevel, replica: string, stream: TContainerLogLine["stream"], line: string): void => {
    opts.logSink?.({ ts: new Date().toISOString(), level, replica, stream, line });
  };

  function reportState(): void {
    if (closed) return;
    const up = replicas.filter((r) => !r.down).length;
    const state: THttpInstanceState = up === 0 ? "failed" : up < replicas.length ? "degraded" : "running";
    if (state === lastState) return;
    lastState = state;
    const message =
      state === "failed"
        ? `Every replica crashed ${maxCrashes} times within ${Math.round(crashWindowMs / 1000)} s and stays down`
        : state === "degraded"
          ? `${up} of ${replicas.length} replicas up; the others crashed too often`
          : `${replicas.length} replica(s) of \`${config.command}\` running`;
    opts.onStateChange?.(state, message);
  }

  function signal(r: TReplica, sig: NodeJS.Signals): void {
    if (r.pid === undefined) return;
    try {
      process.kill(-r.pid, sig);
    } catch {
      try {
        r.child?.kill(sig);
      } catch {
        // already gone
      }
    }
  }

  function stopReplica(r: TReplica): Promise<void> {
    if (r.restartTimer) clearTimeout(r.restartTimer);
    r.restartTimer = undefined;
    if (!r.child || r.child.exitCode !== null || r.child.signalCode !== null) return r.exited;
    if (!r.killTimer) {
      signal(r, "SIGTERM");
      r.killTimer = setTimeout(() => signal(r, "SIGKILL"), grace);
    }
    return r.exited;
  }

  function forgetReplicaSessions(r: TReplica): void {
    for (const sid of r.sessions) sessions.delete(sid);
    r.sessions.clear();
  }

  function spawnReplica(r: TReplica): void {
    if (closed) return;
    const cwd = instanceWorkDir(instanceId);
    const env: Record<string, string> = { ...buildChildEnv(config.env, cwd), PORT: String(r.port) };
    let resolveExit!: () => void;
    r.exited = new Promise((res) => (resolveExit = res));
    r.ready = false;
    r.killTimer = undefined;
    const child: ChildProcess = spawn(config.command, config.args, { cwd, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], shell: false, detached: true, windowsHide: true });
    r.child = child;
    r.pid = child.pid;
    // Blank lines carry nothing; an endless line is logged in 1 MiB pieces.
    for (const stream of ["stdout", "stderr"] as const) {
      const write = (line: string): void => {
        if (line.trim()) log("info", r.label, stream, line);
      };
      readLines(child[stream], write, { maxChars: 1024 * 1024, onOverflow: write });
    }
    let finished = false;
    const finish = (code: number | null, sig: NodeJS.Signals | null, err?: Error): void => {
      if (finished) return;
      finished = true;
      if (r.killTimer) clearTimeout(r.killTimer);
      r.ready = false;
      if (r.pid !== undefined) {
        try {
          process.kill(-r.pid, "SIGKILL");
        } catch {
          // the group is empty
        }
      }
      log(err || (code !== 0 && !closed) ? "error" : "info", r.label, "event", err ? `failed to start: ${err.message}` : `exited: code ${code ?? "null"}, signal ${sig ?? "null"}`);
      forgetReplicaSessions(r);
      resolveExit();
      if (!closed) onCrash(r);
    };
    child.on("error", (err) => {
      if (r.pid === undefined) finish(null, null, err);
    });
    child.once("exit", (code, sig) => finish(code, sig));
    if (r.pid === undefined) return;
    void waitReady(r, child);
  }

  async function waitReady(r: TReplica, child: ChildProcess): Promise<void> {
    const deadline = Date.now() + config.startupTimeoutMs;
    while (!closed && r.child === child && child.exitCode === null && child.signalCode === null) {
      if (await canConnect(r.port)) {
        if (r.child !== child || child.exitCode !== null) return;
        r.ready = true;
        log("info", r.label, "event", `started on port ${r.port} (pid ${child.pid})`);
        return;
      }
      if (Date.now() > deadline) {
        log("error", r.label, "event", `not accepting connections on port ${r.port} within ${config.startupTimeoutMs} ms; killed`);
        signal(r, "SIGKILL");
        return;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  function onCrash(r: TReplica): void {
    const now = Date.now();
    r.crashes = r.crashes.filter((t) => now - t < crashWindowMs);
    r.crashes.push(now);
    if (r.crashes.length >= maxCrashes) {
      r.down = true;
      log("error", r.label, "event", `failed: ${r.crashes.length} crashes within ${Math.round(crashWindowMs / 1000)} s; not restarting`);
      reportState();
      return;
    }
    const delay = Math.min(maxBackoffMs, backoffMs * 2 ** (r.crashes.length - 1));
    log("warn", r.label, "event", `restarting in ${delay} ms`);
    r.restartTimer = setTimeout(() => {
      r.restartTimer = undefined;
      spawnReplica(r);
    }, delay);
  }

  const starting = (async () => {
    for (let i = 0; i < count; i++) {
      const port = config.port !== null && count === 1 ? config.port : await freePort();
      const r: TReplica = { index: i, label: `replica-${i}`, port, child: null, pid: undefined, ready: false, down: false, crashes: [], sessions: new Set(), exited: Promise.resolve(), restartTimer: undefined, killTimer: undefined };
      replicas.push(r);
      if (closed) return;
      spawnReplica(r);
    }
    reportState();
  })();

  function remember(sid: string, r: TReplica): void {
    if (sessions.get(sid) !== r.index) {
      const prev = sessions.get(sid);
      if (prev !== undefined) replicas[prev]?.sessions.delete(sid);
      sessions.set(sid, r.index);
      r.sessions.add(sid);
    }
    void getRedis().set(affinityKey(sid), String(r.index), "EX", ttl).catch(() => undefined);
  }

  function forget(sid: string): void {
    const idx = sessions.get(sid);
    if (idx !== undefined) replicas[idx]?.sessions.delete(sid);
    sessions.delete(sid);
    void getRedis().del(affinityKey(sid)).catch(() => undefined);
  }

  async function pick(sid: string | undefined): Promise<TReplica | null> {
    if (sid) {
      let idx = sessions.get(sid);
      if (idx === undefined) {
        const stored = await getRedis().get(affinityKey(sid)).catch(() => null);
        if (stored !== null && replicas[Number(stored)]) {
          idx = Number(stored);
          sessions.set(sid, idx);
          replicas[idx]!.sessions.add(sid);
        }
      }
      if (idx !== undefined) {
        void getRedis().expire(affinityKey(sid), ttl).catch(() => undefined);
        const r = replicas[idx]!;
        return r.ready ? r : null;
      }
    }
    const up = replicas.filter((r) => r.ready);
    if (up.length === 0) return null;
    return up.reduce((a, b) => (b.sessions.size < a.sessions.size ? b : a));
  }

  async function waitAnyReady(): Promise<void> {
    const deadline = Date.now() + Math.min(config.startupTimeoutMs, config.requestTimeoutMs);
    while (!closed && Date.now() < deadline) {
      if (replicas.length === count && replicas.some((r) => r.ready)) return;
      if (replicas.length === count && replicas.every((r) => r.down)) return;
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  return {
    kind: "local",
    replicaOf: (sid) => sessions.get(sid),
    async handle(req, res, body, ctx) {
      const url = new URL(req.url ?? "/", "http://gateway.invalid");
      const sub = url.pathname.startsWith(ctx.basePath) ? url.pathname.slice(ctx.basePath.length) : url.pathname;
      if (sub !== "/mcp") return problem(res, 404, "Not Found", "This hosted HTTP instance serves Streamable HTTP at /mcp.");
      await starting;
      if (!replicas.some((r) => r.ready)) await waitAnyReady();
      const sid = header(req.headers["mcp-session-id"]);
      const r = await pick(sid);
      if (!r) return rpcFailure(res, req, body, 503, -32000, 503, "Service Unavailable", "No replica of this instance is up; see its container logs.");

      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v === undefined || HOP_BY_HOP.has(k.toLowerCase())) continue;
        headers[k] = v;
      }
      for (const [k, v] of Object.entries(ctx.passHeaders)) headers[k.toLowerCase()] = v;
      headers.host = `127.0.0.1:${r.port}`;
      if (body && body.length > 0) headers["content-length"] = String(body.length);
      else if (req.method === "POST" || req.method === "PUT") headers["content-length"] = "0";

      await new Promise<void>((resolve) => {
        const upstream = http.request({ host: "127.0.0.1", port: r.port, method: req.method, path: config.path + url.search, headers });
        let settled = false;
        const done = (): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          upstream.destroy(new Error("timeout"));
          // Like the remote proxy: 200 with a JSON-RPC error for requests, else a 504 problem.
          rpcFailure(res, req, body, 200, UPSTREAM_TIMEOUT_CODE, 504, "Gateway Timeout", `The server did not answer within ${config.requestTimeoutMs} ms.`);
          done();
        }, config.requestTimeoutMs);
        const onClientClose = (): void => {
          if (!res.writableFinished) upstream.destroy();
          done();
        };
        res.once("close", onClientClose);
        upstream.on("response", (up) => {
          clearTimeout(timer);
          const newSid = header(up.headers["mcp-session-id"]);
          if (req.method === "DELETE" && sid) forget(sid);
          else if (newSid && (up.statusCode ?? 500) < 400) remember(newSid, r);
          else if (sid && up.statusCode === 404) forget(sid);
          const out: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(up.headers)) {
            if (v === undefined || (HOP_BY_HOP.has(k.toLowerCase()) && k.toLowerCase() !== "content-length")) continue;
            out[k] = v;
          }
          res.writeHead(up.statusCode ?? 502, out);
          res.flushHeaders();
          up.on("data", (chunk: Buffer) => {
            if (!res.write(chunk)) {
              up.pause();
              res.once("drain", () => up.resume());
            }
          });
          up.on("end", () => {
            res.end();
            done();
          });
          up.on("error", () => {
            res.destroy();
            done();
          });
        });
        upstream.on("error", (err) => {
          if (settled) return;
          problem(res, 502, "Bad Gateway", `The replica did not answer: ${err.message}`);
          done();
        });
        if (body && body.length > 0) upstream.end(body);
        else upstream.end();
      });
    },
    stats() {
      return { processes: replicas.filter((r) => r.child && r.child.exitCode === null && r.child.signalCode === null).length, sessions: sessions.size };
    },
    async close() {
      closed = true;
      await starting;
      await Promise.all(replicas.map((r) => stopReplica(r)));
    },
  };
}
