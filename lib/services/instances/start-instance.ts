import type { TCtx } from "@/lib/context";
import type { TInstanceView } from "./instance-view";
import { changeDesiredState } from "./lifecycle";

/** Asks the runtime to run the instance (desired state `running`). */
export function startInstance({ ctx, instanceId }: { ctx: TCtx; instanceId: string }): Promise<TInstanceView> {
  return changeDesiredState({ ctx, instanceId, action: "instance.started", next: () => ({ desiredState: "running" }) });
}
