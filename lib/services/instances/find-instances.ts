import { and, desc, eq, ilike, lt, or, type SQL } from "drizzle-orm";
import { instance } from "@/db/schema";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import type { TInstanceQuery } from "@/lib/validation/instances";
import { decodeCursor, toPage, type TPage } from "../pagination";
import { toInstanceView, type TInstanceView } from "./instance-view";

/** Instances of the context's organization, newest first, filtered and keyset-paginated. */
export async function findInstances({ ctx, query }: { ctx: TCtx; query: TInstanceQuery }): Promise<TPage<TInstanceView>> {
  requirePermission(ctx, "instance.read");
  const where: SQL[] = [eq(instance.organizationId, ctx.organizationId)];
  if (query.status) where.push(eq(instance.observedState, query.status));
  if (query.mode) where.push(eq(instance.accessMode, query.mode));
  if (query.source) where.push(eq(instance.source, query.source));
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(instance.name, like), ilike(instance.description, like))!);
  }
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    where.push(or(lt(instance.createdAt, c.createdAt), and(eq(instance.createdAt, c.createdAt), lt(instance.id, c.id)))!);
  }
  const rows = await (ctx.tx ?? getDb())
    .select()
    .from(instance)
    .where(and(...where))
    .orderBy(desc(instance.createdAt), desc(instance.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, toInstanceView);
}
