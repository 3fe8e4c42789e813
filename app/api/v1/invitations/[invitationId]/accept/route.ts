// POST /api/v1/invitations/{invitationId}/accept — join with the invited role; the signed-in invitee.
import { apiHandler } from "@/lib/api/handler";
import { acceptInvitation } from "@/lib/services/invitations/accept-invitation";

export const POST = apiHandler<{ invitationId: string }>(async (api, { invitationId }) =>
  acceptInvitation({ ctx: await api.requireUser(), invitationId }),
);
