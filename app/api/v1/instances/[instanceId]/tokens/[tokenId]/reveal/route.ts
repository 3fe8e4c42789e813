// POST /api/v1/instances/{instanceId}/tokens/{tokenId}/reveal — the token value again, audited; token.reveal.
import { apiHandler } from "@/lib/api/handler";
import { revealToken } from "@/lib/services/tokens/reveal-token";

export const POST = apiHandler<{ instanceId: string; tokenId: string }>(async (api, { instanceId, tokenId }) => revealToken({ ctx: await api.requireOrg(), instanceId, tokenId }));
