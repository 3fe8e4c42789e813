import type { TCtx } from "@/lib/context";
import type { TInstanceView } from "./instance-view";
import { changeDesiredState } from "./lifecycle";

/** Asks the runtime to restart every replica: bumps restartGeneration, and wants the instance running. */
export function restartInstance({ ctx, instanceId }: { ctx: TCtx; instanceId: string }): Promise<TInstanceView> {
  return changeDesiredState({
    ctx,
    instanceId,
    action: "instance.restarted",
    next: (row) => ({ restartGeneration: row.restartGeneration + 1, desiredState: "running" }),
  });
}
