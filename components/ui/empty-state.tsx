import * as React from "react";

import { cn } from "@/lib/utils";

type EmptyStateProps = Omit<React.ComponentProps<"div">, "title"> & {
  /** A lucide icon element, e.g. `<ServerIcon />`; decorative. */
  icon?: React.ReactNode;
  title: React.ReactNode;
  /** Say what to do next, not just that the list is empty. */
  description?: React.ReactNode;
  /** The next step: usually one primary `<Button>`, optionally a secondary link. */
  action?: React.ReactNode;
};

/** Placeholder for an empty list or section that points the operator at the next step. */
function EmptyState({
  icon,
  title,
  description,
  action,
  className,
  children,
  ...props
}: EmptyStateProps): React.JSX.Element {
  return (
    <div
      data-slot="empty-state"
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-lg border border-dashed px-6 py-10 text-center",
        className,
      )}
      {...props}
    >
      {icon ? (
        <div
          aria-hidden
          className="flex size-10 items-center justify-center rounded-full bg-muted text-muted-foreground [&_svg:not([class*='size-'])]:size-5"
        >
          {icon}
        </div>
      ) : null}
      <div className="flex max-w-md flex-col gap-1">
        <p data-slot="empty-state-title" className="text-sm font-medium">
          {title}
        </p>
        {description ? (
          <div data-slot="empty-state-description" className="text-sm text-muted-foreground">
            {description}
          </div>
        ) : null}
      </div>
      {action ? (
        <div data-slot="empty-state-action" className="mt-1 flex flex-wrap items-center justify-center gap-2">
          {action}
        </div>
      ) : null}
      {children}
    </div>
  );
}

export { EmptyState, type EmptyStateProps };
