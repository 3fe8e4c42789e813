// DELETE /api/v1/api-keys/{apiKeyId} — revoke; apikey.manage.
import { apiHandler, noContent } from "@/lib/api/handler";
import { revokeApiKey } from "@/lib/services/api-keys/revoke-api-key";

export const DELETE = apiHandler<{ apiKeyId: string }>(async (api, { apiKeyId }) => {
  await revokeApiKey({ ctx: await api.requireOrg(), apiKeyId });
  return noContent();
});
