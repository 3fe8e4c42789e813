import { desc, eq } from "drizzle-orm";
import { apiKey } from "@/db/schema";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import { toApiKeyView, type TApiKeyView } from "./api-key-view";

/** The organization's API keys, newest first, revoked ones included (marked). */
export async function findApiKeys({ ctx }: { ctx: TCtx }): Promise<TApiKeyView[]> {
  requirePermission(ctx, "apikey.read");
  const rows = await (ctx.tx ?? getDb()).select().from(apiKey).where(eq(apiKey.organizationId, ctx.organizationId)).orderBy(desc(apiKey.createdAt)).limit(500);
  return rows.map(toApiKeyView);
}
