import type { TCtx } from "@/lib/context";
import { AppError } from "@/lib/errors";
import type { TScaleInstance } from "@/lib/validation/instances";
import type { TInstanceView } from "./instance-view";
import { changeDesiredState } from "./lifecycle";

/** Sets the number of replicas of a hosted instance, within its configuration's min and max. */
export function scaleInstance({ ctx, instanceId, input }: { ctx: TCtx; instanceId: string; input: TScaleInstance }): Promise<TInstanceView> {
  return changeDesiredState({
    ctx,
    instanceId,
    action: "instance.scaled",
    next: (row) => {
      const c = row.config;
      if (c.accessMode !== "hosted") throw new AppError("conflict", "Only hosted instances have replicas to scale");
      if (input.replicas < c.minReplicas || input.replicas > c.maxReplicas) {
        throw new AppError("validation_failed", "The request did not validate", {
          errors: [{ path: "replicas", message: `Between ${c.minReplicas} and ${c.maxReplicas} (the configuration's min and max replicas)` }],
        });
      }
      return { replicas: input.replicas };
    },
  });
}
