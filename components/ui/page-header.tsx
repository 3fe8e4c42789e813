import * as React from "react";

import { cn } from "@/lib/utils";

type PageHeaderProps = Omit<React.ComponentProps<"header">, "title"> & {
  title: React.ReactNode;
  description?: React.ReactNode;
  /** Page-level buttons, right-aligned on wide screens (primary action last). */
  actions?: React.ReactNode;
};

/** The h1 of a console page with its description and actions; `children` render under the description (badges, metadata). */
function PageHeader({
  title,
  description,
  actions,
  className,
  children,
  ...props
}: PageHeaderProps): React.JSX.Element {
  return (
    <header
      data-slot="page-header"
      className={cn("flex flex-col gap-3 pb-4 sm:flex-row sm:items-start sm:justify-between", className)}
      {...props}
    >
      <div className="flex min-w-0 flex-col gap-1">
        <h1 className="text-xl font-semibold tracking-tight break-words">{title}</h1>
        {description ? <div className="text-sm text-muted-foreground">{description}</div> : null}
        {children}
      </div>
      {actions ? (
        <div data-slot="page-header-actions" className="flex shrink-0 flex-wrap items-center gap-2">
          {actions}
        </div>
      ) : null}
    </header>
  );
}

export { PageHeader, type PageHeaderProps };
