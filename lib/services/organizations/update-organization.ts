import { eq } from "drizzle-orm";
import { organization } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { requirePermission } from "@/lib/rbac";
import type { TUpdateOrganization } from "@/lib/validation/organizations";

/** Renames the organization (the slug stays: it is in every URL and API client). */
export async function updateOrganization({ ctx, input }: { ctx: TCtx; input: TUpdateOrganization }): Promise<{ id: string; name: string; slug: string }> {
  requirePermission(ctx, "org.update");
  return (ctx.tx ?? getDb()).transaction(async (tx) => {
    const [before] = await tx.select().from(organization).where(eq(organization.id, ctx.organizationId)).for("update");
    if (!before) throw notFound("Organization");
    await tx.update(organization).set({ name: input.name }).where(eq(organization.id, ctx.organizationId));
    await writeAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "organization.updated",
      targetType: "organization",
      targetId: before.id,
      targetLabel: input.name,
      before: { name: before.name },
      after: { name: input.name },
    });
    return { id: before.id, name: input.name, slug: before.slug };
  });
}
