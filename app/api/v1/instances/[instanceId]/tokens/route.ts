// GET|POST /api/v1/instances/{instanceId}/tokens — list without values (token.read) · create, value shown once (token.write).
import { apiHandler, created } from "@/lib/api/handler";
import { createToken } from "@/lib/services/tokens/create-token";
import { findTokens } from "@/lib/services/tokens/find-tokens";
import { ZCreateToken } from "@/lib/validation/tokens";

type P = { instanceId: string };

export const GET = apiHandler<P>(async (api, { instanceId }) => findTokens({ ctx: await api.requireOrg(), instanceId }));

export const POST = apiHandler<P>(async (api, { instanceId }) => {
  const ctx = await api.requireOrg();
  return created(await createToken({ ctx, instanceId, input: await api.json(ZCreateToken) }));
});
