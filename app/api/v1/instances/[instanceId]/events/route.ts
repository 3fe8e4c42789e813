// GET /api/v1/instances/{instanceId}/events — lifecycle events, newest first; instance.read.
import { apiHandler } from "@/lib/api/handler";
import { findInstanceEvents } from "@/lib/services/instances/find-instance-events";
import { ZCursorOnlyQuery } from "@/lib/validation/instances";

export const GET = apiHandler<{ instanceId: string }>(async (api, { instanceId }) => {
  const ctx = await api.requireOrg();
  return findInstanceEvents({ ctx, instanceId, query: api.query(ZCursorOnlyQuery) });
});
