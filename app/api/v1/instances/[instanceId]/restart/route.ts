// POST /api/v1/instances/{instanceId}/restart — restart every replica (bumps restartGeneration); instance.write.
import { apiHandler } from "@/lib/api/handler";
import { restartInstance } from "@/lib/services/instances/restart-instance";

export const POST = apiHandler<{ instanceId: string }>(async (api, { instanceId }) => restartInstance({ ctx: await api.requireOrg(), instanceId }));
