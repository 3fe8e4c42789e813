// GET|POST /api/v1/invitations — pending invitations (members.read) · invite by email (members.manage).
import { apiHandler, created } from "@/lib/api/handler";
import { createInvitation } from "@/lib/services/invitations/create-invitation";
import { findInvitations } from "@/lib/services/invitations/find-invitations";
import { ZCreateInvitation } from "@/lib/validation/members";

export const GET = apiHandler(async (api) => findInvitations({ ctx: await api.requireOrg() }));

export const POST = apiHandler(async (api) => {
  const ctx = await api.requireOrg();
  const inv = await createInvitation({ ctx, input: await api.json(ZCreateInvitation) });
  return created({ ...inv, status: "pending", createdAt: new Date().toISOString() });
});
