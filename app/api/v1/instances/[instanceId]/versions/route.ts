// GET /api/v1/instances/{instanceId}/versions — configuration versions, newest first, secrets masked; instance.read.
import { apiHandler } from "@/lib/api/handler";
import { findInstanceVersions } from "@/lib/services/instances/find-instance-versions";

export const GET = apiHandler<{ instanceId: string }>(async (api, { instanceId }) => findInstanceVersions({ ctx: await api.requireOrg(), instanceId }));
