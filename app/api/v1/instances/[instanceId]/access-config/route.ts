// GET /api/v1/instances/{instanceId}/access-config?tokenId=&client= — client configs; token.read (the value needs token.reveal).
import { apiHandler } from "@/lib/api/handler";
import { getAccessConfig } from "@/lib/services/instances/get-access-config";
import { ZAccessConfigQuery } from "@/lib/validation/instances";

export const GET = apiHandler<{ instanceId: string }>(async (api, { instanceId }) => {
  const ctx = await api.requireOrg();
  return getAccessConfig({ ctx, instanceId, query: api.query(ZAccessConfigQuery) });
});
