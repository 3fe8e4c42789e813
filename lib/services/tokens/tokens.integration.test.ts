import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessToken, auditLog } from "@/db/schema";
import { getDb } from "@/lib/db";
import { encodeBasic, tokenLookupHash } from "@/lib/tokens/credential";
import { ZCreateInstance } from "@/lib/validation/instances";
import { ZCreateToken } from "@/lib/validation/tokens";
import { probeConfigEvents, type TEventProbe } from "@/test/config-events";
import { codeOf, ctxFor, makeOrg } from "@/test/fixtures";
import type { TCtx } from "@/lib/context";
import { createInstance } from "../instances/create-instance";
import { getAccessConfig } from "../instances/get-access-config";
import { createToken } from "./create-token";
import { deleteToken } from "./delete-token";
import { findTokens } from "./find-tokens";
import { revealToken } from "./reveal-token";
import { updateToken } from "./update-token";

async function newInstance(ctx: TCtx, over: Record<string, unknown> = {}): Promise<string> {
  const input = ZCreateInstance.parse({ name: "svc", config: { accessMode: "hosted", transport: "stdio", command: "npx", args: ["-y", "@modelcontextprotocol/server-everything"] }, ...over });
  return (await createInstance({ ctx, input })).id;
}

const tokenInput = (raw: Record<string, unknown>) => ZCreateToken.parse(raw);

async function auditFor(orgId: string): Promise<(typeof auditLog.$inferSelect)[]> {
  return getDb().select().from(auditLog).where(eq(auditLog.organizationId, orgId));
}

let events: TEventProbe;
beforeAll(async () => {
  events = await probeConfigEvents();
});
afterAll(async () => {
  await events.close();
});

describe("access tokens", () => {
  it("a generated token is returned once, stored as HMAC + ciphertext, audited without its value, and announced", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const instanceId = await newInstance(owner);
    const t = await createToken({ ctx: owner, instanceId, input: tokenInput({ type: "bearer", label: "dev", tags: ["dev-token"] }) });
    await expect(events.next((e) => e.kind === "token" && e.tokenId === t.id)).resolves.toEqual({ kind: "token", organizationId: o.orgId, instanceId, tokenId: t.id });
    expect(t.value).toMatch(/^mcpcan_tk_[A-Za-z0-9_-]{43}$/);
    expect(t).toMatchObject({ type: "bearer", label: "dev", tags: ["dev-token"], enabled: true, state: "active", expiresAt: null, hint: `${t.value.slice(0, 12)}…` });
    const [row] = await getDb().select().from(accessToken).where(eq(accessToken.id, t.id));
    expect(row!.lookupHash).toBe(tokenLookupHash(t.value));
    expect(JSON.stringify(row)).not.toContain(t.value);

    const list = await findTokens({ ctx: owner, instanceId });
    expect(list.map((x) => x.id)).toEqual([t.id]);
    expect(JSON.stringify(list)).not.toContain(t.value);
    expect(list[0]).not.toHaveProperty("value");
    expect(list[0]).not.toHaveProperty("valueEncrypted");
    expect(list[0]).not.toHaveProperty("lookupHash");

    expect(await revealToken({ ctx: owner, instanceId, tokenId: t.id })).toEqual({ id: t.id, type: "bearer", value: t.value });
    const audit = await auditFor(o.orgId);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["token.created", "token.revealed"]));
    expect(JSON.stringify(audit)).not.toContain(t.value);
    expect(JSON.stringify(audit)).not.toContain(row!.valueEncrypted);
  });

  it("custom values, Basic from username and password or pre-encoded, and the four types", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const instanceId = await newInstance(owner);
    const custom = await createToken({ ctx: owner, instanceId, input: tokenInput({ type: "x_api_key", value: { mode: "custom", value: "my-own-key-123456" } }) });
    expect(custom.value).toBe("my-own-key-123456");
    // 17 characters: a quarter of them, so a short custom value is never shown whole.
    expect(custom.hint).toBe("my-o…");
    const basic = await createToken({ ctx: owner, instanceId, input: tokenInput({ type: "basic", value: { mode: "basic", username: "alice", password: "wonder land" } }) });
    expect(basic).toMatchObject({ value: encodeBasic("alice", "wonder land"), hint: "alice" });
    const pre = await createToken({ ctx: owner, instanceId, input: tokenInput({ type: "basic", value: { mode: "custom", value: encodeBasic("bob", "pw123456") } }) });
    expect(pre.hint).toBe("bob");
    const genBasic = await createToken({ ctx: owner, instanceId, input: tokenInput({ type: "basic" }) });
    expect(Buffer.from(genBasic.value, "base64").toString()).toMatch(/^mcpcan:mcpcan_tk_/);
    const apiKey = await createToken({ ctx: owner, instanceId, input: tokenInput({ type: "api_key" }) });
    expect(apiKey.type).toBe("api_key");
    expect(() => tokenInput({ type: "bearer", value: { mode: "custom", value: "short" } })).toThrow();
    expect(() => tokenInput({ type: "bearer", value: { mode: "custom", value: "has white space" } })).toThrow();
    expect(() => tokenInput({ type: "bearer", value: { mode: "basic", username: "a", password: "b" } })).toThrow();
    expect(() => tokenInput({ type: "bearer", headers: [{ name: "Authorization", value: "x" }] })).toThrow();
    expect(() => tokenInput({ type: "bearer", headers: [{ name: "Cookie", value: "x" }] })).toThrow();
    expect(() => tokenInput({ type: "bearer", headers: [{ name: "X-A", value: "1" }, { name: "x-a", value: "2" }] })).toThrow();
    expect(await codeOf(createToken({ ctx: owner, instanceId, input: tokenInput({ type: "bearer", expiresAt: new Date(Date.now() - 1000).toISOString() }) }))).toBe("validation_failed");
  });

  it("the same value twice on one instance is 409; on another instance it is fine", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const i1 = await newInstance(owner);
    const i2 = await newInstance(owner);
    const input = tokenInput({ type: "bearer", value: { mode: "custom", value: "shared-value-0001" } });
    await createToken({ ctx: owner, instanceId: i1, input });
    expect(await codeOf(createToken({ ctx: owner, instanceId: i1, input }))).toBe("conflict");
    // The same value presented another way is still the same credential on this instance.
    expect(await codeOf(createToken({ ctx: owner, instanceId: i1, input: { ...input, type: "api_key" } }))).toBe("conflict");
    expect(await codeOf(createToken({ ctx: owner, instanceId: i2, input }))).toBe("ok");
    expect(await findTokens({ ctx: owner, instanceId: i1 })).toHaveLength(1);
    const results = await Promise.all([1, 2, 3].map(() => codeOf(createToken({ ctx: owner, instanceId: i1, input: { ...input, value: { mode: "custom", value: "raced-value-0001" } } }))));
    expect(results.sort()).toEqual(["conflict", "conflict", "ok"]);
  });

  it("edits label, tags, expiry, enabled and headers; state follows; each edit is audited and announced", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const instanceId = await newInstance(owner);
    const t = await createToken({ ctx: owner, instanceId, input: tokenInput({ type: "bearer" }) });
    await events.next((e) => e.kind === "token" && e.tokenId === t.id);
    const off = await updateToken({ ctx: owner, instanceId, tokenId: t.id, input: { enabled: false, label: "off", tags: ["a", "b"], headers: [{ name: "X-Team", value: "red", passThrough: true }] } });
    await events.next((e) => e.kind === "token" && e.tokenId === t.id);
    expect(off).toMatchObject({ enabled: false, state: "disabled", label: "off", tags: ["a", "b"], headers: [{ name: "X-Team", value: "red", passThrough: true }] });
    const expired = await updateToken({ ctx: owner, instanceId, tokenId: t.id, input: { enabled: true, expiresAt: new Date(Date.now() - 1000).toISOString() } });
    expect(expired.state).toBe("expired");
    const forever = await updateToken({ ctx: owner, instanceId, tokenId: t.id, input: { expiresAt: null } });
    expect(forever).toMatchObject({ state: "active", expiresAt: null });
    const audits = (await auditFor(o.orgId)).filter((a) => a.action === "token.updated");
    expect(audits).toHaveLength(3);
    expect(audits.find((a) => (a.after as { enabled: boolean }).enabled === false)).toMatchObject({ before: { enabled: true, label: "" }, after: { enabled: false, label: "off" } });
    expect(JSON.stringify(audits)).not.toContain(t.value);
  });

  it("delete removes the token at once, audited and announced", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const instanceId = await newInstance(owner);
    const t = await createToken({ ctx: owner, instanceId, input: tokenInput({ type: "bearer" }) });
    await events.next((e) => e.kind === "token" && e.tokenId === t.id);
    await deleteToken({ ctx: owner, instanceId, tokenId: t.id });
    await expect(events.next((e) => e.kind === "token" && e.tokenId === t.id)).resolves.toMatchObject({ instanceId });
    expect(await findTokens({ ctx: owner, instanceId })).toHaveLength(0);
    expect(await codeOf(revealToken({ ctx: owner, instanceId, tokenId: t.id }))).toBe("not_found");
    const [audit] = (await auditFor(o.orgId)).filter((a) => a.action === "token.deleted");
    expect(audit).toMatchObject({ targetId: t.id, after: null });
    expect(JSON.stringify(audit)).not.toContain(t.value);
  });

  it("another tenant's instance or token answers 404 on every verb; a token is only found under its own instance", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const ownerA = await ctxFor(a.owner, a.orgId);
    const ownerB = await ctxFor(b.owner, b.orgId);
    const instB = await newInstance(ownerB);
    const tokB = await createToken({ ctx: ownerB, instanceId: instB, input: tokenInput({ type: "bearer" }) });
    const instA = await newInstance(ownerA);
    const calls: (() => Promise<unknown>)[] = [
      () => findTokens({ ctx: ownerA, instanceId: instB }),
      () => createToken({ ctx: ownerA, instanceId: instB, input: tokenInput({ type: "bearer" }) }),
      () => updateToken({ ctx: ownerA, instanceId: instB, tokenId: tokB.id, input: { enabled: false } }),
      () => deleteToken({ ctx: ownerA, instanceId: instB, tokenId: tokB.id }),
      () => revealToken({ ctx: ownerA, instanceId: instB, tokenId: tokB.id }),
      () => getAccessConfig({ ctx: ownerA, instanceId: instB, query: { tokenId: tokB.id } }),
      // Their token addressed under our own instance.
      () => updateToken({ ctx: ownerA, instanceId: instA, tokenId: tokB.id, input: { enabled: false } }),
      () => deleteToken({ ctx: ownerA, instanceId: instA, tokenId: tokB.id }),
      () => revealToken({ ctx: ownerA, instanceId: instA, tokenId: tokB.id }),
      () => getAccessConfig({ ctx: ownerA, instanceId: instA, query: { tokenId: tokB.id } }),
    ];
    for (const c of calls) expect(await codeOf(c())).toBe("not_found");
    expect((await findTokens({ ctx: ownerB, instanceId: instB }))[0]).toMatchObject({ id: tokB.id, enabled: true });
  });

  it("a viewer lists tokens and sees a placeholder config but cannot write or reveal; a developer can reveal", async () => {
    const o = await makeOrg(["viewer", "developer"]);
    const owner = await ctxFor(o.owner, o.orgId);
    const viewer = await ctxFor(o.members.viewer!, o.orgId);
    const dev = await ctxFor(o.members.developer!, o.orgId);
    const instanceId = await newInstance(owner);
    const t = await createToken({ ctx: dev, instanceId, input: tokenInput({ type: "api_key" }) });
    expect(await findTokens({ ctx: viewer, instanceId })).toHaveLength(1);
    const writes: (() => Promise<unknown>)[] = [
      () => createToken({ ctx: viewer, instanceId, input: tokenInput({ type: "bearer" }) }),
      () => updateToken({ ctx: viewer, instanceId, tokenId: t.id, input: { label: "x" } }),
      () => deleteToken({ ctx: viewer, instanceId, tokenId: t.id }),
      () => revealToken({ ctx: viewer, instanceId, tokenId: t.id }),
    ];
    for (const w of writes) expect(await codeOf(w())).toBe("forbidden");
    const vcfg = await getAccessConfig({ ctx: viewer, instanceId, query: { tokenId: t.id, client: "generic" } });
    expect(vcfg.valueIncluded).toBe(false);
    expect(JSON.parse(vcfg.configs[0]!.text).mcpServers[vcfg.instanceKey].headers).toEqual({ "Api-Key": "<token>" });
    expect(JSON.stringify(vcfg)).not.toContain(t.value);

    expect((await revealToken({ ctx: dev, instanceId, tokenId: t.id })).value).toBe(t.value);
    const dcfg = await getAccessConfig({ ctx: dev, instanceId, query: { tokenId: t.id } });
    expect(dcfg.valueIncluded).toBe(true);
    expect(dcfg.configs.map((c) => c.client)).toEqual(["generic", "cursor", "claude-desktop", "claude-code", "vscode", "windsurf", "dify"]);
    expect(JSON.parse(dcfg.configs[0]!.text)).toEqual({ mcpServers: { [`mcp-${instanceId.slice(0, 8)}`]: { url: dcfg.url, headers: { "Api-Key": t.value } } } });
    expect(dcfg.url).toMatch(new RegExp(`/mcp-gateway/${instanceId}/mcp$`));
    const reveals = (await auditFor(o.orgId)).filter((a) => a.action === "token.revealed");
    expect(reveals).toHaveLength(1);
    expect(reveals[0]).toMatchObject({ actorId: o.members.developer!.actor.id, targetId: t.id });
  });

  it("access config includes the token's custom headers, a placeholder without a token, nothing for a public instance", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const instanceId = await newInstance(owner);
    const t = await createToken({ ctx: owner, instanceId, input: tokenInput({ type: "basic", value: { mode: "basic", username: "u", password: "p" }, headers: [{ name: "X-Team", value: "red" }] }) });
    const cfg = await getAccessConfig({ ctx: owner, instanceId, query: { tokenId: t.id, client: "vscode" } });
    expect(JSON.parse(cfg.configs[0]!.text).servers[cfg.instanceKey].headers).toEqual({ Authorization: `Basic ${encodeBasic("u", "p")}`, "X-Team": "red" });
    const none = await getAccessConfig({ ctx: owner, instanceId, query: { client: "windsurf" } });
    expect(JSON.parse(none.configs[0]!.text).mcpServers[none.instanceKey].headers).toEqual({ Authorization: "Bearer <token>" });
    const pub = await newInstance(owner, { public: true });
    const open = await getAccessConfig({ ctx: owner, instanceId: pub, query: { client: "generic" } });
    expect(JSON.parse(open.configs[0]!.text).mcpServers[open.instanceKey].headers).toEqual({});
  });

  it("deleting an instance deletes its tokens", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const instanceId = await newInstance(owner);
    const t = await createToken({ ctx: owner, instanceId, input: tokenInput({ type: "bearer" }) });
    const { deleteInstance } = await import("../instances/delete-instance");
    await deleteInstance({ ctx: owner, instanceId });
    expect(await getDb().select().from(accessToken).where(and(eq(accessToken.id, t.id), eq(accessToken.organizationId, o.orgId)))).toHaveLength(0);
  });
});
