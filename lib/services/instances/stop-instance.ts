import type { TCtx } from "@/lib/context";
import type { TInstanceView } from "./instance-view";
import { changeDesiredState } from "./lifecycle";

/** Asks the runtime to stop the instance (desired state `stopped`). */
export function stopInstance({ ctx, instanceId }: { ctx: TCtx; instanceId: string }): Promise<TInstanceView> {
  return changeDesiredState({ ctx, instanceId, action: "instance.stopped", next: () => ({ desiredState: "stopped" }) });
}
