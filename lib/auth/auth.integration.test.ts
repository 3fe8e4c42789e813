import { describe, expect, it } from "vitest";
import { getEnv } from "@/lib/env";
import { getAuth } from "./auth";

const base = "http://console.test";

function post(path: string, body: unknown, ip: string, cookie?: string): Promise<Response> {
  return getAuth().handler(
    new Request(`${base}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base, "x-forwarded-for": ip, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    }),
  );
}

describe("Better Auth wiring", () => {
  it("hashes passwords, sets an httpOnly SameSite=Lax session cookie", async () => {
    const email = `cookie-${Date.now()}@example.test`;
    const res = await post("/sign-up/email", { email, password: "correct horse battery", name: "C" }, "10.0.0.1");
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/mcpcan\.session_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const { getDb } = await import("@/lib/db");
    const { account } = await import("@/db/schema");
    const rows = await getDb().select().from(account);
    expect(rows.some((r) => r.password === "correct horse battery")).toBe(false);
  });

  it("rate-limits sign-in attempts per client address in Redis", async () => {
    const email = `rl-${Date.now()}@example.test`;
    await post("/sign-up/email", { email, password: "correct horse battery", name: "R" }, "10.0.0.2");
    const limit = getEnv().MCPCAN_SIGNIN_RATE_LIMIT;
    const statuses: number[] = [];
    for (let i = 0; i < limit + 1; i += 1) statuses.push((await post("/sign-in/email", { email, password: "wrong password!" }, "10.0.0.3")).status);
    expect(statuses.slice(0, limit).every((s) => s === 401)).toBe(true);
    const last = statuses[limit];
    expect(last).toBe(429);
    // Another address is not affected.
    expect((await post("/sign-in/email", { email, password: "correct horse battery" }, "10.0.0.4")).status).toBe(200);
  });

  it("refuses the organization plugin's own mutation endpoints (they would skip our audit)", async () => {
    const res = await post("/organization/create", { name: "x", slug: "x" }, "10.0.0.5");
    expect([403, 404]).toContain(res.status);
  });
});
