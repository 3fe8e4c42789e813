import * as React from "react";
import { cva } from "class-variance-authority";

import { cn } from "@/lib/utils";

type Status = "ok" | "warn" | "error" | "idle";

const statusDotColor = cva("", {
  variants: {
    status: {
      ok: "bg-success",
      warn: "bg-warning",
      error: "bg-destructive",
      idle: "bg-muted-foreground/50",
    },
  },
});

type StatusDotProps = Omit<React.ComponentProps<"span">, "children"> & {
  status: Status;
  /**
   * What the colour means ("Running", "Unhealthy"), for screen readers and the hover title.
   * Omit only when visible text next to the dot already says it; the dot is then hidden from assistive tech.
   */
  label?: string;
  /** A soft ping around the dot, for transitional states such as starting or deploying. */
  pulse?: boolean;
};

/** A small coloured dot for health and run state; colour is never the only signal when `label` is given. */
function StatusDot({ status, label, pulse = false, className, ...props }: StatusDotProps): React.JSX.Element {
  return (
    <span
      data-slot="status-dot"
      data-status={status}
      role={label ? "img" : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      title={label}
      className={cn("relative inline-flex size-2 shrink-0 rounded-full", statusDotColor({ status }), className)}
      {...props}
    >
      {pulse ? (
        <span
          aria-hidden
          className={cn(
            "absolute inset-0 animate-ping rounded-full opacity-75 motion-reduce:hidden",
            statusDotColor({ status }),
          )}
        />
      ) : null}
    </span>
  );
}

export { StatusDot, type StatusDotProps, type Status as StatusDotStatus };
