import { beforeAll, describe, expect, it } from "vitest";
import type { TDb } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { TokenAuthenticator } from "./token-auth";

type TRow = { id: string; organizationId: string; instanceId: string; type: string; enabled: boolean; expiresAt: Date | null; headers: [] };

/** A stand-in for the Drizzle chain the authenticator uses; each select waits for `gate` when set. */
function fakeDb(rows: () => TRow[]): { db: () => TDb; selects: () => number; hold(): () => void } {
  let selects = 0;
  let gate: Promise<void> | null = null;
  const chain = {
    from: () => chain,
    where: () => chain,
    limit: async () => {
      selects += 1;
      if (gate) await gate;
      return rows();
    },
  };
  const db = {
    select: () => chain,
    update: () => ({ set: () => ({ where: async () => undefined }) }),
  } as unknown as TDb;
  return {
    db: () => db,
    selects: () => selects,
    hold() {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

const bearer = { authorization: "Bearer mcpcan_tk_value" };
const row = (over: Partial<TRow> = {}): TRow => ({ id: "t1", organizationId: "o", instanceId: "i1", type: "bearer", enabled: true, expiresAt: null, headers: [], ...over });

beforeAll(() => {
  process.env.MCPCAN_SECRET ??= "unit-test-secret-unit-test-secret-unit-test";
  resetEnvForTests();
});

describe("TokenAuthenticator", () => {
  it("caches per (instance, hash) until an event for the instance drops it", async () => {
    let current = [row()];
    const f = fakeDb(() => current);
    const auth = new TokenAuthenticator({ db: f.db, ttlMs: 60_000 });
    expect((await auth.authenticate("i1", bearer)).ok).toBe(true);
    current = [row({ enabled: false })];
    expect((await auth.authenticate("i1", bearer)).ok).toBe(true);
    expect(f.selects()).toBe(1);
    auth.invalidateInstance("other");
    expect((await auth.authenticate("i1", bearer)).ok).toBe(true);
    auth.invalidateInstance("i1");
    expect((await auth.authenticate("i1", bearer)).ok).toBe(false);
    expect(f.selects()).toBe(2);
  });

  it("does not cache a lookup that raced an invalidation", async () => {
    let current = [row()];
    const f = fakeDb(() => current);
    const auth = new TokenAuthenticator({ db: f.db, ttlMs: 60_000 });
    const release = f.hold();
    const pending = auth.authenticate("i1", bearer);
    // The token is disabled and announced while the first lookup is still in flight.
    await new Promise((r) => setImmediate(r));
    auth.invalidateInstance("i1");
    release();
    expect((await pending).ok).toBe(true);
    current = [row({ enabled: false })];
    expect((await auth.authenticate("i1", bearer)).ok).toBe(false);
  });

  it("checks expiry on every request against the cached row, and the credential type", async () => {
    let now = 1_000_000;
    const f = fakeDb(() => [row({ expiresAt: new Date(now + 500) })]);
    const auth = new TokenAuthenticator({ db: f.db, ttlMs: 60_000, now: () => now });
    expect((await auth.authenticate("i1", bearer)).ok).toBe(true);
    now += 501;
    expect((await auth.authenticate("i1", bearer)).ok).toBe(false);
    expect(f.selects()).toBe(1);
    expect((await auth.authenticate("i1", { "api-key": "mcpcan_tk_value" })).ok).toBe(false);
    expect((await auth.authenticate("i1", {})).ok).toBe(false);
  });
});
