"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";

export type TRole = { key: string; rank: number; permissions: string[] };

/** Roles of the platform, strongest first (kept as data on the server). */
export function useRoles(org: string): { roles: TRole[]; rankOf: (key: string) => number } {
  const q = useQuery({ queryKey: ["roles", org], queryFn: () => apiFetch<TRole[]>("/roles", { org }), staleTime: 5 * 60_000 });
  const roles = q.data ?? [];
  return { roles, rankOf: (key) => roles.find((r) => r.key === key)?.rank ?? 0 };
}
