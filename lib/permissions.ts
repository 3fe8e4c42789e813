/**
 * The permission catalogue. Which role holds which permission is data (role_permission rows,
 * seeded from db/seed/roles.ts); this list only names what exists so that code can refer to it.
 */
export const PERMISSIONS = [
  "org.read",
  "org.update",
  "members.read",
  "members.manage",
  "apikey.read",
  "apikey.manage",
  "audit.read",
  "settings.read",
  "settings.write",
  "dashboard.read",
  "instance.read",
  "instance.write",
  "token.read",
  "token.write",
  "token.reveal",
  "logs.read",
  "debug.run",
  "template.read",
  "template.write",
  "code_package.read",
  "code_package.write",
  "alert.read",
  "alert.write",
] as const;

export type TPermission = (typeof PERMISSIONS)[number];

export const BUILT_IN_ROLES = ["owner", "admin", "developer", "viewer"] as const;
export type TBuiltInRole = (typeof BUILT_IN_ROLES)[number];
