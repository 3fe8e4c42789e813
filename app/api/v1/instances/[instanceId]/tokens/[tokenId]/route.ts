// PATCH|DELETE /api/v1/instances/{instanceId}/tokens/{tokenId} — edit (not the value) · delete; token.write.
import { apiHandler, noContent } from "@/lib/api/handler";
import { deleteToken } from "@/lib/services/tokens/delete-token";
import { updateToken } from "@/lib/services/tokens/update-token";
import { ZUpdateToken } from "@/lib/validation/tokens";

type P = { instanceId: string; tokenId: string };

export const PATCH = apiHandler<P>(async (api, { instanceId, tokenId }) => {
  const ctx = await api.requireOrg();
  return updateToken({ ctx, instanceId, tokenId, input: await api.json(ZUpdateToken) });
});

export const DELETE = apiHandler<P>(async (api, { instanceId, tokenId }) => {
  await deleteToken({ ctx: await api.requireOrg(), instanceId, tokenId });
  return noContent();
});
