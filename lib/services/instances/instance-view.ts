import { and, eq } from "drizzle-orm";
import { instance } from "@/db/schema";
import type { TDbOrTx } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { notFound } from "@/lib/errors";
import { gatewayMcpUrl, instanceKey } from "@/lib/instances/access-config";
import { maskConfig } from "@/lib/instances/config-secrets";
import type { TInstanceConfig } from "@/lib/validation/instances";

export type TInstanceRow = typeof instance.$inferSelect;

export type TInstanceView = {
  id: string;
  key: string;
  name: string;
  description: string;
  source: string;
  accessMode: string;
  transport: string;
  config: TInstanceConfig;
  configVersion: number;
  desiredState: string;
  replicas: number;
  restartGeneration: number;
  observedState: string;
  observedMessage: string | null;
  observedAt: Date | null;
  public: boolean;
  gatewayUrl: string;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
};

/** The row as the API shows it: secrets masked, plus the client-facing key and gateway URL. */
export function toInstanceView(row: TInstanceRow): TInstanceView {
  return {
    id: row.id,
    key: instanceKey(row.id),
    name: row.name,
    description: row.description,
    source: row.source,
    accessMode: row.accessMode,
    transport: row.transport,
    config: maskConfig(row.config),
    configVersion: row.configVersion,
    desiredState: row.desiredState,
    replicas: row.replicas,
    restartGeneration: row.restartGeneration,
    observedState: row.observedState,
    observedMessage: row.observedMessage,
    observedAt: row.observedAt,
    public: row.public,
    gatewayUrl: gatewayMcpUrl(getEnv().gatewayPublicUrl, row.id),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** One instance of an organization (optionally locked for update); 404 when it belongs elsewhere. */
export async function loadInstance(tx: TDbOrTx, organizationId: string, instanceId: string, opts: { lock?: boolean } = {}): Promise<TInstanceRow> {
  const q = tx
    .select()
    .from(instance)
    .where(and(eq(instance.id, instanceId), eq(instance.organizationId, organizationId)))
    .limit(1);
  const [row] = opts.lock ? await q.for("update") : await q;
  if (!row) throw notFound("Instance");
  return row;
}

/** The replica count a configuration allows, closest to `wanted`; proxies and direct instances have one. */
export function clampReplicas(config: TInstanceConfig, wanted: number): number {
  if (config.accessMode !== "hosted") return 1;
  return Math.min(config.maxReplicas, Math.max(config.minReplicas, wanted));
}

/** The audit snapshot of an instance: what matters, secrets masked. */
export function auditSnapshot(row: TInstanceRow): Record<string, unknown> {
  return {
    name: row.name,
    description: row.description,
    source: row.source,
    accessMode: row.accessMode,
    public: row.public,
    configVersion: row.configVersion,
    config: maskConfig(row.config),
    desiredState: row.desiredState,
    replicas: row.replicas,
  };
}
