import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { requirePermission } from "@/lib/rbac";
import { loadInstance, toInstanceView, type TInstanceView } from "./instance-view";

/** One instance of the context's organization, secrets masked; 404 when it belongs elsewhere. */
export async function getInstance({ ctx, instanceId }: { ctx: TCtx; instanceId: string }): Promise<TInstanceView> {
  requirePermission(ctx, "instance.read");
  return toInstanceView(await loadInstance(ctx.tx ?? getDb(), ctx.organizationId, instanceId));
}
