// GET|DELETE /api/v1/invitations/{invitationId} — what the link offers (anyone holding it) · cancel (members.manage).
import { apiHandler, noContent } from "@/lib/api/handler";
import { cancelInvitation } from "@/lib/services/invitations/cancel-invitation";
import { getInvitation } from "@/lib/services/invitations/get-invitation";

type P = { invitationId: string };

export const GET = apiHandler<P>(async (_api, { invitationId }) => getInvitation({ invitationId }));

export const DELETE = apiHandler<P>(async (api, { invitationId }) => {
  await cancelInvitation({ ctx: await api.requireOrg(), invitationId });
  return noContent();
});
