// POST /api/v1/instances/{instanceId}/scale — set replicas within the config's min and max; instance.write.
import { apiHandler } from "@/lib/api/handler";
import { scaleInstance } from "@/lib/services/instances/scale-instance";
import { ZScaleInstance } from "@/lib/validation/instances";

export const POST = apiHandler<{ instanceId: string }>(async (api, { instanceId }) => {
  const ctx = await api.requireOrg();
  return scaleInstance({ ctx, instanceId, input: await api.json(ZScaleInstance) });
});
