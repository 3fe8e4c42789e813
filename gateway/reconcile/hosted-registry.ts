// The runtime role's reconcile loop for hosted stdio instances: it reads desired state (running or
// stopped, config version, restart generation) from Postgres, drives the local stdio bridges toward
// it, and writes observed state and lifecycle events back. Config events from the console trigger a
// reconcile of that instance at once (pub/sub, not polling); a slow full resync is the safety net.
import { and, eq, inArray } from "drizzle-orm";
import type pino from "pino";
import { instance, instanceEvent } from "@/db/schema/instances";
import type { TDb } from "@/lib/db";
import { subscribeConfigEvents, type TConfigEvent } from "@/lib/events/config-bus";
import { openConfig } from "@/lib/instances/config-secrets";
import { ZInstanceConfig, type THostedConfig } from "@/lib/validation/instances";
import type { TGatewayInstance } from "../proxy/instances";
import { createStdioInstance, type TStdioInstance } from "../runtime/stdio";
import { createHttpInstance, type THttpInstance, type THttpInstanceOptions } from "../runtime/http/http-instance";
import type { TLocalUpstream } from "../upstream/types";
import { getContainerLogPublisher, type TContainerLogLine } from "../runtime/logs/container-log-publisher";
import { prepareWorkDir } from "./prepare-workdir";

type TEntry = { fingerprint: string; upstream: TStdioInstance | THttpInstance };

export type THostedRegistry = {
  /** The local upstream for a hosted stdio instance, or null for anything this registry does not run. */
  resolve(inst: TGatewayInstance): TLocalUpstream | null;
  /** Brings one instance to its desired state; concurrent calls for the same instance queue. */
  reconcile(instanceId: string): Promise<void>;
  reconcileAll(): Promise<void>;
  stats(): { instances: number; processes: number; sessions: number; restarts: number };
  /** One instance's bridge: its processes and sessions, or null when it does not run here. */
  statsOf(instanceId: string): { processes: number; sessions: number } | null;
  /** Stops every bridge (and so every child process) and the subscription. */
  close(): Promise<void>;
};

export type THostedRegistryOptions = {
  db: () => TDb;
  logger: pino.Logger;
  subscribe?: (onEvent: (e: TConfigEvent) => void) => Promise<() => Promise<void>>;
  create?: (input: { instanceId: string; config: THostedConfig; onStateChange?: (state: "failed", message: string) => void }) => TStdioInstance;
  resyncIntervalMs?: number;
  /** Hosted HTTP instances: crash backoff and window overrides (tests). */
  http?: Pick<THttpInstanceOptions, "backoffMs" | "maxBackoffMs" | "maxCrashes" | "crashWindowMs" | "killGraceMs" | "affinityTtlSeconds">;
};

type TRow = {
  id: string;
  organizationId: string;
  accessMode: string;
  transport: string;
  config: unknown;
  configVersion: number;
  restartGeneration: number;
  desiredState: string;
  replicas: number;
};

/** Transports of hosted instances this registry runs: stdio bridges and HTTP server replicas. */
const LOCAL_TRANSPORTS = ["stdio", "streamable_http"];
const wantsLocal = (r: Pick<TRow, "accessMode" | "transport">): boolean => r.accessMode === "hosted" && LOCAL_TRANSPORTS.includes(r.transport);

/** Starts the registry: subscribes to config events, then reconciles every hosted stdio instance. */
export async function startHostedRegistry(opts: THostedRegistryOptions): Promise<THostedRegistry> {
  const entries = new Map<string, TEntry>();
  const queues = new Map<string, Promise<void>>();
  const create = opts.create ?? ((input) => createStdioInstance(input));
  let closed = false;
  let restarts = 0;

  async function load(id: string): Promise<TRow | null> {
    const [row] = await opts
      .db()
      .select({
        id: instance.id,
        organizationId: instance.organizationId,
        accessMode: instance.accessMode,
        transport: instance.transport,
        config: instance.config,
        configVersion: instance.configVersion,
        restartGeneration: instance.restartGeneration,
        desiredState: instance.desiredState,
        replicas: instance.replicas,
      })
      .from(instance)
      .where(eq(instance.id, id))
      .limit(1);
    return row ?? null;
  }

  async function observe(row: TRow, state: string, message: string | null, event?: { type: string; level?: string; message: string }): Promise<void> {
    const db = opts.db();
    await db
      .update(instance)
      .set({ observedState: state, observedMessage: message, observedAt: new Date() })
      .where(and(eq(instance.id, row.id), eq(instance.organizationId, row.organizationId)));
    if (event) {
      await db.insert(instanceEvent).values({
        id: crypto.randomUUID(),
        organizationId: row.organizationId,
        instanceId: row.id,
        type: event.type,
        level: event.level ?? "info",
        message: event.message,
      });
    }
  }

  async function stop(id: string): Promise<boolean> {
    const entry = entries.get(id);
    if (!entry) return false;
    entries.delete(id);
    await entry.upstream.close();
    return true;
  }

  async function reconcileNow(id: string): Promise<void> {
    if (closed) return;
    const row = await load(id);
    if (!row || !wantsLocal(row) || row.desiredState !== "running") {
      const stopped = await stop(id);
      if (row && wantsLocal(row) && stopped) await observe(row, "stopped", null, { type: "stopped", message: "Stopped: every process ended" });
      else if (row && wantsLocal(row) && row.desiredState !== "running") await observe(row, "stopped", null);
      return;
    }
    // A scale changes the number of HTTP replicas, so it takes effect like an edit.
    const fingerprint = row.transport === "stdio" ? `${row.configVersion}:${row.restartGeneration}` : `${row.configVersion}:${row.restartGeneration}:${row.replicas}`;
    const current = entries.get(id);
    if (current?.fingerprint === fingerprint) return;
    const parsed = ZInstanceConfig.safeParse(row.config);
    let config: THostedConfig;
    try {
      if (!parsed.success || parsed.data.accessMode !== "hosted") throw new Error("the stored configuration is not a valid hosted configuration");
      config = openConfig(parsed.data) as THostedConfig;
    } catch (err) {
      await stop(id);
      await observe(row, "failed", (err as Error).message, { type: "config_invalid", level: "error", message: `Cannot apply configuration: ${(err as Error).message}` });
      return;
    }
    const restarting = Boolean(current);
    if (restarting) restarts += 1;
    await stop(id);
    try {
      const log = (line: TContainerLogLine): void => getContainerLogPublisher().push(id, line);
      const { prepared } = await prepareWorkDir({ instanceId: id, organizationId: row.organizationId, config, log });
      if (prepared && (config.codePackageId || config.initScript)) {
        await observe(row, "starting", null, { type: "prepared", message: "Working directory prepared (code package copied, init script run)" });
      }
    } catch (err) {
      await observe(row, "failed", (err as Error).message, { type: "prepare_failed", level: "error", message: (err as Error).message });
      return;
    }
    let upstream: TStdioInstance | THttpInstance | undefined;
    const onStateChange = (state: "running" | "degraded" | "failed", message: string): void => {
      // Only the bridge that is current reports; a replaced one is being closed.
      if (!upstream || entries.get(id)?.upstream !== upstream) return;
      void observe(row, state, state === "running" ? null : message, {
        type: state === "failed" ? "failed" : state === "degraded" ? "degraded" : "recovered",
        level: state === "failed" ? "error" : state === "degraded" ? "warn" : "info",
        message,
      }).catch((err: unknown) => opts.logger.warn({ err, instanceId: id }, "cannot record observed state"));
    };
    if (row.transport === "stdio") upstream = create({ instanceId: id, config, onStateChange });
    else {
      upstream = createHttpInstance({
        ...opts.http,
        instanceId: id,
        organizationId: row.organizationId,
        config,
        replicas: row.replicas,
        logSink: (line) => getContainerLogPublisher().push(id, line),
        onStateChange,
      });
    }
    entries.set(id, { fingerprint, upstream });
    const message =
      row.transport !== "stdio"
        ? `${restarting ? "Applied" : "Ready:"} ${row.replicas} replica(s) of HTTP server \`${config.command}\` (config version ${row.configVersion}, restart generation ${row.restartGeneration})`
        : restarting
          ? `Applied config version ${row.configVersion} (restart generation ${row.restartGeneration}); sessions start fresh processes`
          : `Ready: ${config.sessionMode === "shared" ? "shared replica pool" : "a process per MCP session"} for \`${config.command}\``;
    await observe(row, "running", null, { type: restarting ? "restarted" : "started", message });
  }

  function reconcile(id: string): Promise<void> {
    const prev = queues.get(id) ?? Promise.resolve();
    const next = prev
      .catch(() => undefined)
      .then(() => reconcileNow(id))
      .catch((err: unknown) => opts.logger.error({ err, instanceId: id }, "reconcile failed"));
    queues.set(id, next);
    void next.finally(() => {
      if (queues.get(id) === next) queues.delete(id);
    });
    return next;
  }

  async function reconcileAll(): Promise<void> {
    const rows = await opts
      .db()
      .select({ id: instance.id })
      .from(instance)
      .where(and(eq(instance.accessMode, "hosted"), inArray(instance.transport, LOCAL_TRANSPORTS)));
    const known = new Set(rows.map((r) => r.id));
    for (const id of entries.keys()) if (!known.has(id)) known.add(id);
    await Promise.all([...known].map((id) => reconcile(id)));
  }

  const unsubscribe = await (opts.subscribe ?? subscribeConfigEvents)((e) => {
    if (e.kind === "instance") void reconcile(e.instanceId);
  });
  await reconcileAll();
  const timer = setInterval(() => void reconcileAll().catch((err: unknown) => opts.logger.warn({ err }, "resync failed")), opts.resyncIntervalMs ?? 30_000);
  timer.unref();

  return {
    resolve(inst) {
      if (inst.accessMode !== "hosted" || !LOCAL_TRANSPORTS.includes(inst.transport) || inst.desiredState !== "running") return null;
      // Waits for a reconcile in flight (a just-saved config), so the first request after an edit
      // reaches the new processes rather than a 503.
      return {
        kind: "local",
        async handle(req, res, body, ctx) {
          const pending = queues.get(inst.id);
          if (pending) await pending;
          let entry = entries.get(inst.id);
          if (!entry) {
            await reconcile(inst.id);
            entry = entries.get(inst.id);
          }
          if (!entry) {
            res.writeHead(503, { "content-type": "application/problem+json" });
            res.end(JSON.stringify({ title: "Service Unavailable", status: 503, detail: "The instance is not running; see its lifecycle events." }));
            return;
          }
          return entry.upstream.handle(req, res, body, ctx);
        },
      };
    },
    reconcile,
    reconcileAll,
    stats() {
      let processes = 0;
      let sessions = 0;
      for (const e of entries.values()) {
        const s = e.upstream.stats();
        processes += s.processes;
        sessions += s.sessions;
      }
      return { instances: entries.size, processes, sessions, restarts };
    },
    statsOf(instanceId) {
      return entries.get(instanceId)?.upstream.stats() ?? null;
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await unsubscribe().catch(() => undefined);
      await Promise.all([...queues.values()].map((q) => q.catch(() => undefined)));
      await Promise.all([...entries.keys()].map((id) => stop(id)));
    },
  };
}
