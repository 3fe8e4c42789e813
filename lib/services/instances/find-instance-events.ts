import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { instanceEvent } from "@/db/schema";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import { decodeCursor, toPage, type TPage } from "../pagination";
import { loadInstance } from "./instance-view";

export type TInstanceEventView = { id: string; type: string; level: string; replica: string | null; message: string; createdAt: Date };

/** Lifecycle events the runtime wrote for an instance, newest first. */
export async function findInstanceEvents({ ctx, instanceId, query }: { ctx: TCtx; instanceId: string; query: { cursor?: string; limit: number } }): Promise<TPage<TInstanceEventView>> {
  requirePermission(ctx, "instance.read");
  const db = ctx.tx ?? getDb();
  const inst = await loadInstance(db, ctx.organizationId, instanceId);
  const where: SQL[] = [eq(instanceEvent.instanceId, inst.id), eq(instanceEvent.organizationId, ctx.organizationId)];
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    where.push(or(lt(instanceEvent.createdAt, c.createdAt), and(eq(instanceEvent.createdAt, c.createdAt), lt(instanceEvent.id, c.id)))!);
  }
  const rows = await db
    .select()
    .from(instanceEvent)
    .where(and(...where))
    .orderBy(desc(instanceEvent.createdAt), desc(instanceEvent.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, ({ organizationId: _o, instanceId: _i, ...rest }) => rest);
}
