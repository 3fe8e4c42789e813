// POST /api/v1/instances/{instanceId}/versions/{version}/rollback — copy that version's config as a new version; instance.write.
import { apiHandler } from "@/lib/api/handler";
import { rollbackInstance } from "@/lib/services/instances/rollback-instance";

export const POST = apiHandler<{ instanceId: string; version: string }>(async (api, { instanceId, version }) => {
  const ctx = await api.requireOrg();
  return rollbackInstance({ ctx, instanceId, version: /^\d{1,9}$/.test(version) ? Number(version) : Number.NaN });
});
