import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, member } from "@/db/schema";
import { getDb } from "@/lib/db";
import { codeOf, ctxFor, makeOrg } from "@/test/fixtures";
import { changeMemberRole } from "./change-member-role";
import { findMembers } from "./find-members";
import { removeMember } from "./remove-member";

async function memberId(orgId: string, userId: string): Promise<string> {
  const [m] = await getDb().select().from(member).where(and(eq(member.organizationId, orgId), eq(member.userId, userId)));
  return m!.id;
}

describe("members", () => {
  it("an admin changes a developer to viewer, and the audit row holds before and after", async () => {
    const o = await makeOrg(["admin", "developer"]);
    const admin = await ctxFor(o.members.admin!, o.orgId);
    const devMember = await memberId(o.orgId, o.members.developer!.actor.id);
    await changeMemberRole({ ctx: admin, memberId: devMember, input: { role: "viewer" } });
    const [row] = await getDb().select().from(auditLog).where(and(eq(auditLog.organizationId, o.orgId), eq(auditLog.action, "member.role_changed")));
    expect(row).toMatchObject({ actorId: o.members.admin!.actor.id, targetId: devMember, before: { role: "developer" }, after: { role: "viewer" }, ip: "127.0.0.1", userAgent: "vitest" });
  });

  it("the last owner can be neither demoted nor removed, and nothing is audited for the refusal", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const ownerMember = await memberId(o.orgId, o.owner.actor.id);
    const before = await getDb().select().from(auditLog).where(eq(auditLog.organizationId, o.orgId));
    expect(await codeOf(changeMemberRole({ ctx: owner, memberId: ownerMember, input: { role: "admin" } }))).toBe("conflict");
    expect(await codeOf(removeMember({ ctx: owner, memberId: ownerMember }))).toBe("conflict");
    const after = await getDb().select().from(auditLog).where(eq(auditLog.organizationId, o.orgId));
    expect(after.length).toBe(before.length);
  });

  it("with two owners, one may be demoted; concurrent demotions of both leave one owner", async () => {
    const o = await makeOrg(["owner"]);
    const a = await ctxFor(o.owner, o.orgId);
    const b = await ctxFor(o.members.owner!, o.orgId);
    const ma = await memberId(o.orgId, o.owner.actor.id);
    const mb = await memberId(o.orgId, o.members.owner!.actor.id);
    const results = await Promise.all([
      codeOf(changeMemberRole({ ctx: a, memberId: mb, input: { role: "admin" } })),
      codeOf(changeMemberRole({ ctx: b, memberId: ma, input: { role: "admin" } })),
    ]);
    expect(results.sort()).toEqual(["conflict", "ok"]);
    const owners = await getDb().select().from(member).where(and(eq(member.organizationId, o.orgId), eq(member.role, "owner")));
    expect(owners).toHaveLength(1);
  });

  it("an admin cannot grant owner nor touch an owner", async () => {
    const o = await makeOrg(["admin", "viewer"]);
    const admin = await ctxFor(o.members.admin!, o.orgId);
    expect(await codeOf(changeMemberRole({ ctx: admin, memberId: await memberId(o.orgId, o.members.viewer!.actor.id), input: { role: "owner" } }))).toBe("forbidden");
    expect(await codeOf(removeMember({ ctx: admin, memberId: await memberId(o.orgId, o.owner.actor.id) }))).toBe("forbidden");
  });

  it("a viewer reads the member list but cannot change roles or remove anyone; it may leave", async () => {
    const o = await makeOrg(["viewer", "developer"]);
    const viewer = await ctxFor(o.members.viewer!, o.orgId);
    expect((await findMembers({ ctx: viewer })).length).toBe(3);
    const dev = await memberId(o.orgId, o.members.developer!.actor.id);
    expect(await codeOf(changeMemberRole({ ctx: viewer, memberId: dev, input: { role: "viewer" } }))).toBe("forbidden");
    expect(await codeOf(removeMember({ ctx: viewer, memberId: dev }))).toBe("forbidden");
    expect(await codeOf(removeMember({ ctx: viewer, memberId: await memberId(o.orgId, o.members.viewer!.actor.id) }))).toBe("ok");
  });

  it("another tenant's member answers 404, and an unknown role is a validation error", async () => {
    const a = await makeOrg();
    const b = await makeOrg(["developer"]);
    const ownerA = await ctxFor(a.owner, a.orgId);
    const bDev = await memberId(b.orgId, b.members.developer!.actor.id);
    expect(await codeOf(changeMemberRole({ ctx: ownerA, memberId: bDev, input: { role: "viewer" } }))).toBe("not_found");
    expect(await codeOf(removeMember({ ctx: ownerA, memberId: bDev }))).toBe("not_found");
    const ownA = await memberId(a.orgId, a.owner.actor.id);
    expect(await codeOf(changeMemberRole({ ctx: ownerA, memberId: ownA, input: { role: "superuser" } }))).toBe("validation_failed");
  });

  it("a role unknown to the permission table is granted nothing", async () => {
    const o = await makeOrg(["developer"]);
    const dev = o.members.developer!;
    await getDb().update(member).set({ role: "legacy_role" }).where(eq(member.userId, dev.actor.id));
    const ctx = await ctxFor(dev, o.orgId);
    expect(ctx.permissions.size).toBe(0);
    expect(await codeOf(findMembers({ ctx }))).toBe("forbidden");
  });
});
