// GET /api/v1/members — members of the organization; members.read.
import { apiHandler } from "@/lib/api/handler";
import { findMembers } from "@/lib/services/members/find-members";

export const GET = apiHandler(async (api) => findMembers({ ctx: await api.requireOrg() }));
