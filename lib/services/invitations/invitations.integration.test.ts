import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, invitation, member } from "@/db/schema";
import { getDb } from "@/lib/db";
import { codeOf, ctxFor, makeOrg, makeUser } from "@/test/fixtures";
import { acceptInvitation } from "./accept-invitation";
import { cancelInvitation } from "./cancel-invitation";
import { createInvitation } from "./create-invitation";
import { findInvitations } from "./find-invitations";
import { getInvitation } from "./get-invitation";

describe("invitations", () => {
  it("invite → link → accept joins with the invited role; the link then stops working", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const invitee = await makeUser("invitee");
    const inv = await createInvitation({ ctx: owner, input: { email: invitee.email.toUpperCase(), role: "developer" } });
    expect(inv.link).toBe(`http://console.test/invite/${inv.id}`);
    expect(inv.emailSent).toBe(false);
    expect((await getInvitation({ invitationId: inv.id })).status).toBe("pending");
    const joined = await acceptInvitation({ ctx: invitee, invitationId: inv.id });
    expect(joined).toMatchObject({ organizationId: o.orgId, role: "developer" });
    const [m] = await getDb().select().from(member).where(eq(member.userId, invitee.actor.id));
    expect(m?.role).toBe("developer");
    expect(await codeOf(acceptInvitation({ ctx: invitee, invitationId: inv.id }))).toBe("conflict");
    const actions = (await getDb().select().from(auditLog).where(eq(auditLog.organizationId, o.orgId))).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["invitation.created", "invitation.accepted"]));
  });

  it("someone else holding the link cannot accept it", async () => {
    const o = await makeOrg();
    const inv = await createInvitation({ ctx: await ctxFor(o.owner, o.orgId), input: { email: "someone@example.test", role: "viewer" } });
    const stranger = await makeUser("stranger");
    expect(await codeOf(acceptInvitation({ ctx: stranger, invitationId: inv.id }))).toBe("forbidden");
  });

  it("expired and canceled invitations are refused", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const u1 = await makeUser("late");
    const late = await createInvitation({ ctx: owner, input: { email: u1.email, role: "viewer" } });
    await getDb().update(invitation).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitation.id, late.id));
    expect((await getInvitation({ invitationId: late.id })).status).toBe("expired");
    expect(await codeOf(acceptInvitation({ ctx: u1, invitationId: late.id }))).toBe("conflict");
    const u2 = await makeUser("canceled");
    const c = await createInvitation({ ctx: owner, input: { email: u2.email, role: "viewer" } });
    await cancelInvitation({ ctx: owner, invitationId: c.id });
    expect(await codeOf(acceptInvitation({ ctx: u2, invitationId: c.id }))).toBe("conflict");
  });

  it("a developer cannot invite; an admin cannot invite an owner; members cannot be invited twice", async () => {
    const o = await makeOrg(["admin", "developer"]);
    const dev = await ctxFor(o.members.developer!, o.orgId);
    const admin = await ctxFor(o.members.admin!, o.orgId);
    expect(await codeOf(createInvitation({ ctx: dev, input: { email: "x@example.test", role: "viewer" } }))).toBe("forbidden");
    expect(await codeOf(createInvitation({ ctx: admin, input: { email: "x@example.test", role: "owner" } }))).toBe("forbidden");
    expect(await codeOf(createInvitation({ ctx: admin, input: { email: o.members.developer!.email, role: "viewer" } }))).toBe("conflict");
  });

  it("re-inviting an address replaces the pending invitation; viewers see no links", async () => {
    const o = await makeOrg(["viewer"]);
    const owner = await ctxFor(o.owner, o.orgId);
    const first = await createInvitation({ ctx: owner, input: { email: "again@example.test", role: "viewer" } });
    const second = await createInvitation({ ctx: owner, input: { email: "again@example.test", role: "developer" } });
    const pending = await findInvitations({ ctx: owner });
    expect(pending.map((p) => p.id)).toEqual([second.id]);
    expect((await getInvitation({ invitationId: first.id })).status).toBe("canceled");
    const viewerList = await findInvitations({ ctx: await ctxFor(o.members.viewer!, o.orgId) });
    expect(viewerList[0]?.link).toBe("");
  });

  it("another tenant cannot cancel or list this tenant's invitations", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const inv = await createInvitation({ ctx: await ctxFor(a.owner, a.orgId), input: { email: "t@example.test", role: "viewer" } });
    const ownerB = await ctxFor(b.owner, b.orgId);
    expect(await codeOf(cancelInvitation({ ctx: ownerB, invitationId: inv.id }))).toBe("not_found");
    expect((await findInvitations({ ctx: ownerB })).map((i) => i.id)).not.toContain(inv.id);
  });

  it("a malformed invitation id is a plain 404", async () => {
    expect(await codeOf(getInvitation({ invitationId: "../../etc/passwd" }))).toBe("not_found");
  });
});
