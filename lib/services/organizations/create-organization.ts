import { eq } from "drizzle-orm";
import { member, organization } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { TUserCtx } from "@/lib/context";
import { getDb, type TDbOrTx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { RESERVED_SLUGS, type TCreateOrganization } from "@/lib/validation/organizations";
import { slugify } from "./slugify";

export type TCreatedOrganization = { id: string; name: string; slug: string };

/** Creates a tenant with the acting user as its owner. */
export async function createOrganization({ ctx, input, db = getDb() }: { ctx: TUserCtx; input: TCreateOrganization; db?: TDbOrTx }): Promise<TCreatedOrganization> {
  const slug = input.slug ?? slugify(input.name);
  if (RESERVED_SLUGS.has(slug)) {
    throw new AppError("validation_failed", "This slug is reserved", { errors: [{ path: "slug", message: "This slug is reserved", reason: "slug_reserved" }] });
  }
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: organization.id }).from(organization).where(eq(organization.slug, slug)).limit(1);
    if (taken) throw new AppError("conflict", "This slug is already taken", { errors: [{ path: "slug", message: "This slug is already taken", reason: "slug_taken" }] });
    const org = { id: crypto.randomUUID(), name: input.name, slug };
    await tx.insert(organization).values(org);
    await tx.insert(member).values({ id: crypto.randomUUID(), organizationId: org.id, userId: ctx.actor.id, role: "owner" });
    await writeAudit(tx, ctx, {
      organizationId: org.id,
      action: "organization.created",
      targetType: "organization",
      targetId: org.id,
      targetLabel: org.name,
      after: { name: org.name, slug: org.slug, owner: ctx.email },
    });
    return org;
  });
}
