// GET|POST /api/v1/organizations — list mine · create one (the creator becomes owner); signed-in users.
import { apiHandler, created } from "@/lib/api/handler";
import { createOrganization } from "@/lib/services/organizations/create-organization";
import { findMyOrganizations } from "@/lib/services/organizations/find-my-organizations";
import { ZCreateOrganization } from "@/lib/validation/organizations";

export const GET = apiHandler(async (api) => findMyOrganizations({ userId: (await api.requireUser()).actor.id }));

export const POST = apiHandler(async (api) => {
  const ctx = await api.requireUser();
  const input = await api.json(ZCreateOrganization);
  const org = await createOrganization({ ctx, input });
  return created({ ...org, role: "owner", createdAt: new Date().toISOString() });
});
