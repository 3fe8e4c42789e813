import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, instance, instanceConfigVersion, instanceEvent } from "@/db/schema";
import type { TCtx } from "@/lib/context";
import { getDb } from "@/lib/db";
import { isSealed, SECRET_MASK } from "@/lib/instances/config-secrets";
import type { TCreateInstance } from "@/lib/validation/instances";
import { ZCreateInstance } from "@/lib/validation/instances";
import { probeConfigEvents, type TEventProbe } from "@/test/config-events";
import { codeOf, ctxFor, makeOrg } from "@/test/fixtures";
import { createInstance } from "./create-instance";
import { deleteInstance } from "./delete-instance";
import { findInstanceEvents } from "./find-instance-events";
import { findInstanceForGateway } from "./find-instance-for-gateway";
import { findInstanceVersions } from "./find-instance-versions";
import { findInstances } from "./find-instances";
import { getInstance } from "./get-instance";
import { restartInstance } from "./restart-instance";
import { rollbackInstance } from "./rollback-instance";
import { scaleInstance } from "./scale-instance";
import { startInstance } from "./start-instance";
import { stopInstance } from "./stop-instance";
import { updateInstance } from "./update-instance";

const hostedInput = (over: Partial<Record<string, unknown>> = {}): TCreateInstance =>
  ZCreateInstance.parse({
    name: "everything",
    config: {
      accessMode: "hosted",
      transport: "stdio",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-everything"],
      env: [
        { name: "API_KEY", value: "sk-very-secret", secret: true },
        { name: "MODE", value: "demo" },
      ],
      minReplicas: 1,
      maxReplicas: 3,
    },
    ...over,
  });

const proxyInput = (name = "remote"): TCreateInstance =>
  ZCreateInstance.parse({ name, config: { accessMode: "proxy", transport: "streamable_http", url: "https://upstream.example/mcp", headers: [{ name: "X-Upstream-Key", value: "upstream-secret" }] } });

async function auditRows(orgId: string, action: string): Promise<(typeof auditLog.$inferSelect)[]> {
  return getDb().select().from(auditLog).where(and(eq(auditLog.organizationId, orgId), eq(auditLog.action, action)));
}

let events: TEventProbe;
beforeAll(async () => {
  events = await probeConfigEvents();
});
afterAll(async () => {
  await events.close();
});

describe("instances", () => {
  it("create writes the instance, version 1 and an audit row, announces it, and never returns a secret", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const inst = await createInstance({ ctx: owner, input: hostedInput() });
    await expect(events.next((e) => e.kind === "instance" && e.instanceId === inst.id)).resolves.toEqual({ kind: "instance", organizationId: o.orgId, instanceId: inst.id });
    expect(inst).toMatchObject({ key: `mcp-${inst.id.slice(0, 8)}`, configVersion: 1, desiredState: "running", replicas: 1, public: false, source: "custom", accessMode: "hosted", transport: "stdio" });
    expect(inst.gatewayUrl).toMatch(new RegExp(`/mcp-gateway/${inst.id}/mcp$`));
    expect(JSON.stringify(inst)).not.toContain("sk-very-secret");
    expect(JSON.stringify(inst)).not.toContain("enc:");
    expect(inst.config.accessMode === "hosted" && inst.config.env[0]).toEqual({ name: "API_KEY", value: SECRET_MASK, secret: true });

    const [row] = await getDb().select().from(instance).where(eq(instance.id, inst.id));
    expect(row!.config.accessMode === "hosted" && isSealed(row!.config.env[0]!.value)).toBe(true);
    expect(JSON.stringify(row)).not.toContain("sk-very-secret");
    const versions = await getDb().select().from(instanceConfigVersion).where(eq(instanceConfigVersion.instanceId, inst.id));
    expect(versions.map((v) => v.version)).toEqual([1]);
    const [audit] = await auditRows(o.orgId, "instance.created");
    expect(audit).toMatchObject({ targetId: inst.id, actorId: o.owner.actor.id, requestId: "test-request" });
    expect(JSON.stringify(audit)).not.toContain("sk-very-secret");

    const gw = await findInstanceForGateway(inst.id);
    expect(gw?.config.accessMode === "hosted" && gw.config.env[0]!.value).toBe("sk-very-secret");
    expect(await findInstanceForGateway(crypto.randomUUID())).toBeNull();
    expect(await findInstanceForGateway("not-a-uuid")).toBeNull();
  });

  it("a public instance is explicit and visible in the audit row", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const inst = await createInstance({ ctx: owner, input: proxyInput() });
    expect(inst.public).toBe(false);
    await updateInstance({ ctx: owner, instanceId: inst.id, input: { public: true } });
    const [audit] = await auditRows(o.orgId, "instance.updated");
    expect(audit).toMatchObject({ before: { public: false }, after: { public: true } });
  });

  it("editing the config makes version N+1, keeps secrets sent back masked, and rollback copies an old version", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const inst = await createInstance({ ctx: owner, input: proxyInput() });
    const masked = inst.config;
    if (masked.accessMode === "hosted") throw new Error();
    // Round-trip what the API returned, changing only the URL: the header keeps its stored value.
    const v2 = await updateInstance({ ctx: owner, instanceId: inst.id, input: { config: { ...masked, url: "https://upstream.example/v2/mcp" }, note: "new url" } });
    await events.next((e) => e.kind === "instance" && e.instanceId === inst.id);
    expect(v2.configVersion).toBe(2);
    let gw = await findInstanceForGateway(inst.id);
    expect(gw?.config).toMatchObject({ url: "https://upstream.example/v2/mcp", headers: [{ name: "X-Upstream-Key", value: "upstream-secret" }] });

    const v3 = await updateInstance({ ctx: owner, instanceId: inst.id, input: { config: { ...masked, headers: [{ name: "X-Upstream-Key", value: "rotated" }] } } });
    expect(v3.configVersion).toBe(3);
    gw = await findInstanceForGateway(inst.id);
    expect(gw?.config).toMatchObject({ headers: [{ value: "rotated" }] });

    // Sending the returned (masked) config back unchanged is not a new version.
    expect((await updateInstance({ ctx: owner, instanceId: inst.id, input: { config: v3.config } })).configVersion).toBe(3);

    const versions = await findInstanceVersions({ ctx: owner, instanceId: inst.id });
    expect(versions.map((v) => [v.version, v.current])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    expect(versions[1]!.note).toBe("new url");
    expect(JSON.stringify(versions)).not.toMatch(/upstream-secret|rotated|enc:/);

    const rolled = await rollbackInstance({ ctx: owner, instanceId: inst.id, version: 1 });
    await events.next((e) => e.kind === "instance" && e.instanceId === inst.id);
    expect(rolled.configVersion).toBe(4);
    gw = await findInstanceForGateway(inst.id);
    expect(gw?.config).toMatchObject({ url: "https://upstream.example/mcp", headers: [{ value: "upstream-secret" }] });
    expect((await findInstanceVersions({ ctx: owner, instanceId: inst.id }))[0]).toMatchObject({ version: 4, note: "rollback to version 1", current: true });
    expect(await codeOf(rollbackInstance({ ctx: owner, instanceId: inst.id, version: 99 }))).toBe("not_found");
    const [audit] = await auditRows(o.orgId, "instance.rolled_back");
    expect(audit).toMatchObject({ before: { configVersion: 3 }, after: { configVersion: 4, rolledBackTo: 1 } });
    expect(JSON.stringify(await auditRows(o.orgId, "instance.updated"))).not.toMatch(/upstream-secret|rotated/);
  });

  it("a mask with no stored secret behind it is a validation error and changes nothing", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const inst = await createInstance({ ctx: owner, input: hostedInput() });
    const cfg = inst.config;
    if (cfg.accessMode !== "hosted") throw new Error();
    const bad = { ...cfg, env: [...cfg.env, { name: "NEW_SECRET", value: SECRET_MASK, secret: true }] };
    await expect(updateInstance({ ctx: owner, instanceId: inst.id, input: { config: bad } })).rejects.toMatchObject({ code: "validation_failed", errors: [{ path: "config.env.2.value" }] });
    expect((await getInstance({ ctx: owner, instanceId: inst.id })).configVersion).toBe(1);
  });

  it("start, stop, restart and scale change the desired state, are audited and announced", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const inst = await createInstance({ ctx: owner, input: hostedInput() });
    await events.next((e) => e.kind === "instance" && e.instanceId === inst.id);

    expect((await stopInstance({ ctx: owner, instanceId: inst.id })).desiredState).toBe("stopped");
    await events.next((e) => e.kind === "instance" && e.instanceId === inst.id);
    expect((await startInstance({ ctx: owner, instanceId: inst.id })).desiredState).toBe("running");
    const r = await restartInstance({ ctx: owner, instanceId: inst.id });
    expect(r.restartGeneration).toBe(1);
    expect((await restartInstance({ ctx: owner, instanceId: inst.id })).restartGeneration).toBe(2);
    expect((await scaleInstance({ ctx: owner, instanceId: inst.id, input: { replicas: 3 } })).replicas).toBe(3);
    await expect(scaleInstance({ ctx: owner, instanceId: inst.id, input: { replicas: 4 } })).rejects.toMatchObject({ code: "validation_failed", errors: [{ path: "replicas" }] });
    expect(await codeOf(scaleInstance({ ctx: owner, instanceId: inst.id, input: { replicas: 0 } }))).toBe("validation_failed");

    expect((await auditRows(o.orgId, "instance.stopped"))[0]).toMatchObject({ before: { desiredState: "running" }, after: { desiredState: "stopped" } });
    expect(await auditRows(o.orgId, "instance.restarted")).toHaveLength(2);
    expect((await auditRows(o.orgId, "instance.scaled"))[0]).toMatchObject({ before: { replicas: 1 }, after: { replicas: 3 } });
    // Starting a running instance changes nothing and records nothing.
    await startInstance({ ctx: owner, instanceId: inst.id });
    expect(await auditRows(o.orgId, "instance.started")).toHaveLength(1);

    // Lowering maxReplicas in a new config brings replicas into range.
    const cfg = (await getInstance({ ctx: owner, instanceId: inst.id })).config;
    if (cfg.accessMode !== "hosted") throw new Error();
    expect((await updateInstance({ ctx: owner, instanceId: inst.id, input: { config: { ...cfg, maxReplicas: 2 } } })).replicas).toBe(2);

    const remote = await createInstance({ ctx: owner, input: proxyInput() });
    expect(await codeOf(scaleInstance({ ctx: owner, instanceId: remote.id, input: { replicas: 1 } }))).toBe("conflict");
  });

  it("lists newest first with filters and a keyset cursor, only the own tenant", async () => {
    const o = await makeOrg();
    const other = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const a = await createInstance({ ctx: owner, input: hostedInput({ name: "alpha 100%" }) });
    const b = await createInstance({ ctx: owner, input: proxyInput("beta") });
    const c = await createInstance({ ctx: owner, input: { ...proxyInput("gamma"), source: "template", description: "from the catalogue" } });
    await createInstance({ ctx: await ctxFor(other.owner, other.orgId), input: proxyInput("beta") });

    const p1 = await findInstances({ ctx: owner, query: { limit: 2 } });
    expect(p1.items.map((i) => i.id)).toEqual([c.id, b.id]);
    const p2 = await findInstances({ ctx: owner, query: { limit: 2, cursor: p1.nextCursor! } });
    expect(p2.items.map((i) => i.id)).toEqual([a.id]);
    expect(p2.nextCursor).toBeNull();
    expect((await findInstances({ ctx: owner, query: { limit: 50, mode: "proxy" } })).items.map((i) => i.id)).toEqual([c.id, b.id]);
    expect((await findInstances({ ctx: owner, query: { limit: 50, source: "template" } })).items.map((i) => i.id)).toEqual([c.id]);
    expect((await findInstances({ ctx: owner, query: { limit: 50, q: "CATALOGUE" } })).items.map((i) => i.id)).toEqual([c.id]);
    expect((await findInstances({ ctx: owner, query: { limit: 50, q: "100%" } })).items.map((i) => i.id)).toEqual([a.id]);
    expect((await findInstances({ ctx: owner, query: { limit: 50, q: "%" } })).items.map((i) => i.id)).toEqual([a.id]);
    expect((await findInstances({ ctx: owner, query: { limit: 50, status: "pending" } })).items).toHaveLength(3);
    expect((await findInstances({ ctx: owner, query: { limit: 50, status: "running" } })).items).toHaveLength(0);
    expect(JSON.stringify(p1)).not.toContain("upstream-secret");
  });

  it("events are read newest first for the own instance", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const inst = await createInstance({ ctx: owner, input: hostedInput() });
    const t = Date.now();
    for (const [i, type] of ["started", "exited", "restarted"].entries()) {
      await getDb().insert(instanceEvent).values({ id: crypto.randomUUID(), organizationId: o.orgId, instanceId: inst.id, type, message: type, createdAt: new Date(t + i * 1000) });
    }
    const p1 = await findInstanceEvents({ ctx: owner, instanceId: inst.id, query: { limit: 2 } });
    expect(p1.items.map((e) => e.type)).toEqual(["restarted", "exited"]);
    const p2 = await findInstanceEvents({ ctx: owner, instanceId: inst.id, query: { limit: 2, cursor: p1.nextCursor! } });
    expect(p2.items.map((e) => e.type)).toEqual(["started"]);
  });

  it("delete removes the instance with its versions, audited and announced", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const inst = await createInstance({ ctx: owner, input: hostedInput() });
    await events.next((e) => e.kind === "instance" && e.instanceId === inst.id);
    await deleteInstance({ ctx: owner, instanceId: inst.id });
    await events.next((e) => e.kind === "instance" && e.instanceId === inst.id);
    expect(await codeOf(getInstance({ ctx: owner, instanceId: inst.id }))).toBe("not_found");
    expect(await getDb().select().from(instanceConfigVersion).where(eq(instanceConfigVersion.instanceId, inst.id))).toHaveLength(0);
    const [audit] = await auditRows(o.orgId, "instance.deleted");
    expect(audit).toMatchObject({ targetId: inst.id, after: null, before: { name: "everything" } });
    expect(JSON.stringify(audit)).not.toContain("sk-very-secret");
  });

  it("another tenant's instance answers 404 to every verb, and nothing changes", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const ownerB = await ctxFor(b.owner, b.orgId);
    const inst = await createInstance({ ctx: ownerB, input: hostedInput() });
    const ownerA: TCtx = await ctxFor(a.owner, a.orgId);
    const id = inst.id;
    const calls: (() => Promise<unknown>)[] = [
      () => getInstance({ ctx: ownerA, instanceId: id }),
      () => updateInstance({ ctx: ownerA, instanceId: id, input: { name: "stolen" } }),
      () => deleteInstance({ ctx: ownerA, instanceId: id }),
      () => startInstance({ ctx: ownerA, instanceId: id }),
      () => stopInstance({ ctx: ownerA, instanceId: id }),
      () => restartInstance({ ctx: ownerA, instanceId: id }),
      () => scaleInstance({ ctx: ownerA, instanceId: id, input: { replicas: 2 } }),
      () => findInstanceVersions({ ctx: ownerA, instanceId: id }),
      () => rollbackInstance({ ctx: ownerA, instanceId: id, version: 1 }),
      () => findInstanceEvents({ ctx: ownerA, instanceId: id, query: { limit: 10 } }),
    ];
    for (const c of calls) expect(await codeOf(c())).toBe("not_found");
    expect((await findInstances({ ctx: ownerA, query: { limit: 50 } })).items).toHaveLength(0);
    expect(await getInstance({ ctx: ownerB, instanceId: id })).toMatchObject({ name: "everything", desiredState: "running", configVersion: 1, restartGeneration: 0 });
  });

  it("a viewer reads but every write is 403; a developer writes", async () => {
    const o = await makeOrg(["viewer", "developer"]);
    const viewer = await ctxFor(o.members.viewer!, o.orgId);
    const dev = await ctxFor(o.members.developer!, o.orgId);
    const inst = await createInstance({ ctx: dev, input: hostedInput() });
    expect((await getInstance({ ctx: viewer, instanceId: inst.id })).id).toBe(inst.id);
    expect((await findInstances({ ctx: viewer, query: { limit: 10 } })).items).toHaveLength(1);
    expect(await findInstanceVersions({ ctx: viewer, instanceId: inst.id })).toHaveLength(1);
    const id = inst.id;
    const writes: (() => Promise<unknown>)[] = [
      () => createInstance({ ctx: viewer, input: hostedInput() }),
      () => updateInstance({ ctx: viewer, instanceId: id, input: { name: "x" } }),
      () => deleteInstance({ ctx: viewer, instanceId: id }),
      () => startInstance({ ctx: viewer, instanceId: id }),
      () => stopInstance({ ctx: viewer, instanceId: id }),
      () => restartInstance({ ctx: viewer, instanceId: id }),
      () => scaleInstance({ ctx: viewer, instanceId: id, input: { replicas: 2 } }),
      () => rollbackInstance({ ctx: viewer, instanceId: id, version: 1 }),
    ];
    for (const w of writes) expect(await codeOf(w())).toBe("forbidden");
    expect(await codeOf(stopInstance({ ctx: dev, instanceId: id }))).toBe("ok");
  });

  it("the audit row commits with the change or not at all", async () => {
    const o = await makeOrg();
    const owner = await ctxFor(o.owner, o.orgId);
    const inst = await createInstance({ ctx: owner, input: hostedInput() });
    await expect(
      getDb().transaction(async (tx) => {
        await stopInstance({ ctx: { ...owner, tx }, instanceId: inst.id });
        expect(await tx.select().from(auditLog).where(and(eq(auditLog.action, "instance.stopped"), eq(auditLog.targetId, inst.id)))).toHaveLength(1);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect((await getInstance({ ctx: owner, instanceId: inst.id })).desiredState).toBe("running");
    expect(await getDb().select().from(auditLog).where(and(eq(auditLog.action, "instance.stopped"), eq(auditLog.targetId, inst.id)))).toHaveLength(0);
  });
});
