import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { codePackage } from "@/db/schema";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import type { TCodePackageQuery } from "@/lib/validation/code-packages";
import { decodeCursor, toPage, type TPage } from "../pagination";
import { toCodePackageView, type TCodePackageView } from "./code-package-view";

/** Code packages of the context's organization, newest first, keyset-paginated. */
export async function findCodePackages({ ctx, query }: { ctx: TCtx; query: TCodePackageQuery }): Promise<TPage<TCodePackageView>> {
  requirePermission(ctx, "code_package.read");
  const where: SQL[] = [eq(codePackage.organizationId, ctx.organizationId)];
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    where.push(or(lt(codePackage.createdAt, c.createdAt), and(eq(codePackage.createdAt, c.createdAt), lt(codePackage.id, c.id)))!);
  }
  const rows = await (ctx.tx ?? getDb())
    .select()
    .from(codePackage)
    .where(and(...where))
    .orderBy(desc(codePackage.createdAt), desc(codePackage.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, toCodePackageView);
}
