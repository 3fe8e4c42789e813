// POST /api/v1/instances/{instanceId}/stop — desired state stopped; instance.write.
import { apiHandler } from "@/lib/api/handler";
import { stopInstance } from "@/lib/services/instances/stop-instance";

export const POST = apiHandler<{ instanceId: string }>(async (api, { instanceId }) => stopInstance({ ctx: await api.requireOrg(), instanceId }));
