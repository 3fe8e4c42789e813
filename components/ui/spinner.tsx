import * as React from "react";
import { LoaderCircleIcon, type LucideProps } from "lucide-react";

import { cn } from "@/lib/utils";

type SpinnerProps = LucideProps & {
  /** Announced as a status (e.g. the translated "Loading"); omit when surrounding text already says so. */
  label?: string;
};

function Spinner({ label, className, ...props }: SpinnerProps): React.JSX.Element {
  return (
    <LoaderCircleIcon
      data-slot="spinner"
      role={label ? "status" : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      className={cn("size-4 animate-spin", className)}
      {...props}
    />
  );
}

export { Spinner, type SpinnerProps };
