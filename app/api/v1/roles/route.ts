// GET /api/v1/roles — roles and their permissions (kept as data); any member.
import { apiHandler } from "@/lib/api/handler";
import { getDb } from "@/lib/db";
import { listRoles } from "@/lib/rbac";

export const GET = apiHandler(async (api) => {
  await api.requireOrg();
  return listRoles(getDb());
});
