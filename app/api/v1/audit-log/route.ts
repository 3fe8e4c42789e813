// GET /api/v1/audit-log — audit entries, filtered, newest first; audit.read.
import { apiHandler } from "@/lib/api/handler";
import { findAuditLog } from "@/lib/services/audit/find-audit-log";
import { ZAuditQuery } from "@/lib/validation/audit";

export const GET = apiHandler(async (api) => {
  const ctx = await api.requireOrg();
  return findAuditLog({ ctx, query: api.query(ZAuditQuery) });
});
