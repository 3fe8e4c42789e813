// GET|PATCH|DELETE /api/v1/instances/{instanceId} — read (instance.read) · edit, a new config version · delete (instance.write).
import { apiHandler, noContent } from "@/lib/api/handler";
import { deleteInstance } from "@/lib/services/instances/delete-instance";
import { getInstance } from "@/lib/services/instances/get-instance";
import { updateInstance } from "@/lib/services/instances/update-instance";
import { ZUpdateInstance } from "@/lib/validation/instances";

type P = { instanceId: string };

export const GET = apiHandler<P>(async (api, { instanceId }) => getInstance({ ctx: await api.requireOrg(), instanceId }));

export const PATCH = apiHandler<P>(async (api, { instanceId }) => {
  const ctx = await api.requireOrg();
  return updateInstance({ ctx, instanceId, input: await api.json(ZUpdateInstance) });
});

export const DELETE = apiHandler<P>(async (api, { instanceId }) => {
  await deleteInstance({ ctx: await api.requireOrg(), instanceId });
  return noContent();
});
