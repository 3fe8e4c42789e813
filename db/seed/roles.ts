import type { TBuiltInRole, TPermission } from "@/lib/permissions";
import { PERMISSIONS } from "@/lib/permissions";

const readOnly: TPermission[] = [
  "org.read",
  "members.read",
  "dashboard.read",
  "instance.read",
  "token.read",
  "logs.read",
  "template.read",
  "code_package.read",
  "alert.read",
  "settings.read",
];

/** Built-in roles, highest first. Seeding replaces their permission rows, so upgrades apply. */
export const BUILT_IN_ROLE_SEED: Record<TBuiltInRole, { rank: number; permissions: readonly TPermission[] }> = {
  owner: { rank: 40, permissions: PERMISSIONS },
  admin: { rank: 30, permissions: PERMISSIONS },
  developer: {
    rank: 20,
    permissions: [
      ...readOnly,
      "instance.write",
      "token.write",
      "token.reveal",
      "debug.run",
      "template.write",
      "code_package.write",
    ],
  },
  viewer: { rank: 10, permissions: readOnly },
};
