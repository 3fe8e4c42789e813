// Better Auth's organization plugin checks its own (read) endpoints with an access-control object.
// Our permissions live in Postgres (lib/rbac.ts); here the plugin only learns our four role names so
// that members holding them are recognised. Its mutation endpoints are disabled (see auth.ts).
import { createAccessControl } from "better-auth/plugins/access";
import { defaultStatements } from "better-auth/plugins/organization/access";

const ac = createAccessControl({ ...defaultStatements });

export const orgAccessControl = ac;
export const orgRoles = {
  owner: ac.newRole({ organization: ["update", "delete"], member: ["create", "update", "delete"], invitation: ["create", "cancel"] }),
  admin: ac.newRole({ organization: ["update"], member: ["create", "update", "delete"], invitation: ["create", "cancel"] }),
  developer: ac.newRole({}),
  viewer: ac.newRole({}),
};
