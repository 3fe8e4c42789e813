// POST /api/v1/instances/{instanceId}/start — desired state running; instance.write.
import { apiHandler } from "@/lib/api/handler";
import { startInstance } from "@/lib/services/instances/start-instance";

export const POST = apiHandler<{ instanceId: string }>(async (api, { instanceId }) => startInstance({ ctx: await api.requireOrg(), instanceId }));
