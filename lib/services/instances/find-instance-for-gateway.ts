import { eq } from "drizzle-orm";
import { instance } from "@/db/schema";
import { getDb, type TDbOrTx } from "@/lib/db";
import { openConfig } from "@/lib/instances/config-secrets";
import type { TInstanceConfig } from "@/lib/validation/instances";
import type { TInstanceRow } from "./instance-view";

export type TGatewayInstance = Omit<TInstanceRow, "config"> & { config: TInstanceConfig };

/**
 * The instance the gateway serves at /mcp-gateway/{instanceId}, with its secrets decrypted; null
 * when there is none. There is no organization context here: the id in the URL is the whole
 * lookup, so callers must never return this object (or its config) to a client.
 */
export async function findInstanceForGateway(instanceId: string, db: TDbOrTx = getDb()): Promise<TGatewayInstance | null> {
  if (!/^[0-9a-f-]{36}$/i.test(instanceId)) return null;
  const [row] = await db.select().from(instance).where(eq(instance.id, instanceId)).limit(1);
  return row ? { ...row, config: openConfig(row.config) } : null;
}
