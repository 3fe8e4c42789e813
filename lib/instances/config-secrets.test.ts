import { beforeEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { ZInstanceConfig, type TInstanceConfig } from "@/lib/validation/instances";
import { isSealed, maskConfig, openConfig, SECRET_MASK, sealConfig } from "./config-secrets";

const hosted = (env: { name: string; value: string; secret?: boolean }[]): TInstanceConfig =>
  ZInstanceConfig.parse({ accessMode: "hosted", transport: "stdio", command: "npx", args: ["-y", "x"], env });
const proxy = (headers: { name: string; value: string }[]): TInstanceConfig =>
  ZInstanceConfig.parse({ accessMode: "proxy", transport: "streamable_http", url: "https://up.example/mcp", headers });

function errorsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.errors ?? [];
    throw e;
  }
  throw new Error("expected a validation error");
}

describe("config secrets", () => {
  beforeEach(() => {
    process.env.MCPCAN_SECRET = "unit-test-secret-unit-test-secret-unit-test";
    resetEnvForTests();
  });

  it("seals secret env values and every upstream header, leaves plain values alone, and opens them again", () => {
    const h = sealConfig(hosted([{ name: "API_KEY", value: "sk-live-123", secret: true }, { name: "MODE", value: "fast" }]), null);
    if (h.accessMode !== "hosted") throw new Error();
    expect(isSealed(h.env[0]!.value)).toBe(true);
    expect(JSON.stringify(h)).not.toContain("sk-live-123");
    expect(h.env[1]).toEqual({ name: "MODE", value: "fast", secret: false });
    expect(openConfig(h)).toEqual(hosted([{ name: "API_KEY", value: "sk-live-123", secret: true }, { name: "MODE", value: "fast" }]));

    const p = sealConfig(proxy([{ name: "X-Upstream-Key", value: "up-secret" }]), null);
    if (p.accessMode === "hosted") throw new Error();
    expect(p.headers[0]!.value).toMatch(/^enc:v1\./);
    expect(openConfig(p)).toEqual(proxy([{ name: "X-Upstream-Key", value: "up-secret" }]));
  });

  it("masks every secret, sealed or not, and nothing else", () => {
    const sealed = sealConfig(hosted([{ name: "A", value: "one", secret: true }, { name: "B", value: "two" }]), null);
    const masked = maskConfig(sealed);
    if (masked.accessMode !== "hosted") throw new Error();
    expect(masked.env).toEqual([
      { name: "A", value: SECRET_MASK, secret: true },
      { name: "B", value: "two", secret: false },
    ]);
    const p = maskConfig(sealConfig(proxy([{ name: "Authorization", value: "Bearer up" }]), null));
    expect(JSON.stringify(p)).not.toMatch(/enc:|Bearer up/);
  });

  it('keeps the stored value when the mask comes back, and replaces it when a new value does', () => {
    const v1 = sealConfig(hosted([{ name: "A", value: "one", secret: true }]), null);
    const kept = sealConfig(hosted([{ name: "A", value: SECRET_MASK, secret: true }]), v1);
    if (kept.accessMode !== "hosted" || v1.accessMode !== "hosted") throw new Error();
    expect(kept.env[0]!.value).toBe(v1.env[0]!.value);
    const changed = sealConfig(hosted([{ name: "A", value: "two", secret: true }]), v1);
    expect(openConfig(changed)).toEqual(hosted([{ name: "A", value: "two", secret: true }]));

    const p1 = sealConfig(proxy([{ name: "X-Key", value: "k1" }]), null);
    const p2 = sealConfig(proxy([{ name: "x-key", value: SECRET_MASK }, { name: "X-New", value: "n" }]), p1);
    expect(openConfig(p2)).toEqual(proxy([{ name: "x-key", value: "k1" }, { name: "X-New", value: "n" }]));
  });

  it("refuses a mask with nothing stored behind it, and un-secreting a value without re-entering it", () => {
    expect(errorsOf(() => sealConfig(hosted([{ name: "A", value: SECRET_MASK, secret: true }]), null))).toEqual([{ path: "config.env.0.value", message: expect.any(String) }]);
    const v1 = sealConfig(hosted([{ name: "A", value: "one", secret: true }]), null);
    expect(errorsOf(() => sealConfig(hosted([{ name: "A", value: SECRET_MASK, secret: false }]), v1))[0]!.path).toBe("config.env.0.value");
    expect(errorsOf(() => sealConfig(hosted([{ name: "B", value: SECRET_MASK, secret: true }]), v1))[0]!.path).toBe("config.env.0.value");
    expect(errorsOf(() => sealConfig(proxy([{ name: "X", value: SECRET_MASK }]), v1))[0]!.path).toBe("config.headers.0.value");
  });

  it("a literal '********' in a plain env var is just a value", () => {
    expect(sealConfig(hosted([{ name: "P", value: SECRET_MASK }]), null)).toEqual(hosted([{ name: "P", value: SECRET_MASK }]));
  });

  it("opening a value sealed under another secret fails loudly", () => {
    const sealed = sealConfig(proxy([{ name: "X", value: "v" }]), null);
    process.env.MCPCAN_SECRET = "another-secret-another-secret-another-secret";
    resetEnvForTests();
    expect(() => openConfig(sealed)).toThrow(/Cannot decrypt header X/);
  });
});

describe("config validation for the API", () => {
  it("refuses duplicate env names and header names (a mask must point at one stored value) and min above max", async () => {
    const { ZCreateInstance } = await import("@/lib/validation/instances");
    const env = ZCreateInstance.safeParse({ name: "x", config: { accessMode: "hosted", transport: "stdio", command: "x", env: [{ name: "A", value: "1" }, { name: "A", value: "2" }] } });
    expect(env.success ? [] : env.error.issues.map((i) => i.path.join("."))).toEqual(["config.env.1.name"]);
    const hdr = ZCreateInstance.safeParse({ name: "x", config: { accessMode: "proxy", transport: "sse", url: "https://u.example/sse", headers: [{ name: "X-K", value: "1" }, { name: "x-k", value: "2" }] } });
    expect(hdr.success ? [] : hdr.error.issues.map((i) => i.path.join("."))).toEqual(["config.headers.1.name"]);
    const rep = ZCreateInstance.safeParse({ name: "x", config: { accessMode: "hosted", transport: "stdio", command: "x", minReplicas: 3, maxReplicas: 2 } });
    expect(rep.success ? [] : rep.error.issues.map((i) => i.path.join("."))).toEqual(["config.maxReplicas"]);
  });
});
