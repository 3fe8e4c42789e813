import { and, eq, isNull, lt, or } from "drizzle-orm";
import { apiKey } from "@/db/schema";
import { hmac } from "@/lib/crypto";
import { getDb, type TDbOrTx } from "@/lib/db";
import { API_KEY_PREFIX } from "./api-key-view";

export type TVerifiedApiKey = { id: string; name: string; organizationId: string; role: string };

/** Looks a presented key up by its HMAC; null unless it exists, is not revoked and not expired. */
export async function verifyApiKey({ key, db = getDb() }: { key: string; db?: TDbOrTx }): Promise<TVerifiedApiKey | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const [row] = await db.select().from(apiKey).where(eq(apiKey.keyHash, hmac(key, "api-key"))).limit(1);
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
  // Recording use at most once a minute keeps a busy script from writing on every call.
  const now = new Date();
  await db
    .update(apiKey)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKey.id, row.id), or(isNull(apiKey.lastUsedAt), lt(apiKey.lastUsedAt, new Date(now.getTime() - 60_000)))));
  return { id: row.id, name: row.name, organizationId: row.organizationId, role: row.role };
}
