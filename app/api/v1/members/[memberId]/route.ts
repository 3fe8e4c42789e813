// PATCH|DELETE /api/v1/members/{memberId} — change role · remove; members.manage (anyone may remove themselves).
import { apiHandler, noContent } from "@/lib/api/handler";
import { changeMemberRole } from "@/lib/services/members/change-member-role";
import { removeMember } from "@/lib/services/members/remove-member";
import { ZChangeMemberRole } from "@/lib/validation/members";

type P = { memberId: string };

export const PATCH = apiHandler<P>(async (api, { memberId }) => {
  const ctx = await api.requireOrg();
  return changeMemberRole({ ctx, memberId, input: await api.json(ZChangeMemberRole) });
});

export const DELETE = apiHandler<P>(async (api, { memberId }) => {
  await removeMember({ ctx: await api.requireOrg(), memberId });
  return noContent();
});
