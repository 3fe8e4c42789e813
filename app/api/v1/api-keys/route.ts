// GET|POST /api/v1/api-keys — list (apikey.read) · create, key shown once (apikey.manage).
import { apiHandler, created } from "@/lib/api/handler";
import { createApiKey } from "@/lib/services/api-keys/create-api-key";
import { findApiKeys } from "@/lib/services/api-keys/find-api-keys";
import { ZCreateApiKey } from "@/lib/validation/api-keys";

export const GET = apiHandler(async (api) => findApiKeys({ ctx: await api.requireOrg() }));

export const POST = apiHandler(async (api) => {
  const ctx = await api.requireOrg();
  return created(await createApiKey({ ctx, input: await api.json(ZCreateApiKey) }));
});
