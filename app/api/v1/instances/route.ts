// GET|POST /api/v1/instances — list with filters and a cursor (instance.read) · create (instance.write).
import { apiHandler, created } from "@/lib/api/handler";
import { createInstance } from "@/lib/services/instances/create-instance";
import { findInstances } from "@/lib/services/instances/find-instances";
import { ZCreateInstance, ZInstanceQuery } from "@/lib/validation/instances";

export const GET = apiHandler(async (api) => {
  const ctx = await api.requireOrg();
  return findInstances({ ctx, query: api.query(ZInstanceQuery) });
});

export const POST = apiHandler(async (api) => {
  const ctx = await api.requireOrg();
  return created(await createInstance({ ctx, input: await api.json(ZCreateInstance) }));
});
