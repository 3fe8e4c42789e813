// GET|PATCH /api/v1/organization — the current organization · rename it (org.update).
import { eq } from "drizzle-orm";
import { organization } from "@/db/schema";
import { apiHandler } from "@/lib/api/handler";
import { getDb } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { requirePermission } from "@/lib/rbac";
import { updateOrganization } from "@/lib/services/organizations/update-organization";
import { ZUpdateOrganization } from "@/lib/validation/organizations";

export const GET = apiHandler(async (api) => {
  const ctx = await api.requireOrg();
  requirePermission(ctx, "org.read");
  const [org] = await getDb().select().from(organization).where(eq(organization.id, ctx.organizationId));
  if (!org) throw notFound("Organization");
  return { id: org.id, name: org.name, slug: org.slug, role: ctx.role, createdAt: org.createdAt };
});

export const PATCH = apiHandler(async (api) => {
  const ctx = await api.requireOrg();
  const input = await api.json(ZUpdateOrganization);
  const org = await updateOrganization({ ctx, input });
  return { ...org, role: ctx.role, createdAt: null };
});
