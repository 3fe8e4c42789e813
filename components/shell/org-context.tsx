"use client";
import { createContext, useContext, type ReactNode } from "react";

export type TOrgContext = {
  organization: { id: string; slug: string; name: string };
  role: string;
  permissions: string[];
  user: { id: string; name: string; email: string };
  organizations: { id: string; slug: string; name: string; role: string }[];
};

const Ctx = createContext<TOrgContext | null>(null);

export function OrgProvider({ value, children }: { value: TOrgContext; children: ReactNode }): React.JSX.Element {
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** The organization the console is showing, with the viewer's role and permissions. */
export function useOrg(): TOrgContext & { can: (permission: string) => boolean } {
  const v = useContext(Ctx);
  if (!v) throw new Error("useOrg outside OrgProvider");
  return { ...v, can: (p) => v.permissions.includes(p) };
}
