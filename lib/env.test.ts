import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { getEnv, getSecret, MissingSecretError, resetEnvForTests } from "./env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

function withEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
}

describe("env", () => {
  it("production refuses to start without MCPCAN_SECRET", () => {
    withEnv({ MCPCAN_ENV: "production", MCPCAN_SECRET: undefined });
    expect(() => getSecret()).toThrow(MissingSecretError);
  });

  it("development generates a secret once into an owner-only file and reuses it", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "mcpcan-env-"));
    withEnv({ MCPCAN_ENV: "development", MCPCAN_SECRET: undefined, MCPCAN_DATA_DIR: dir });
    const first = getSecret();
    const file = path.join(dir, "secret");
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    expect(getSecret()).toBe(first);
    expect(first.length).toBeGreaterThanOrEqual(32);
  });

  it("rejects a short secret and names a bad variable", () => {
    withEnv({ MCPCAN_SECRET: "short" });
    expect(() => getSecret()).toThrow(/at least 32/);
    withEnv({ MCPCAN_SECRET: undefined, PORT: "not-a-port" });
    expect(() => getEnv()).toThrow(/PORT/);
  });

  it("defaults match the README and trust both loopback spellings", () => {
    withEnv({ DATABASE_URL: undefined, REDIS_URL: undefined, PORT: undefined, MCPCAN_PUBLIC_URL: undefined, MCPCAN_TRUSTED_ORIGINS: undefined });
    const e = getEnv();
    expect(e.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/mcpcan");
    expect(e.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(e.publicUrl).toBe("http://localhost:3000");
    expect(e.trustedOrigins).toEqual(expect.arrayContaining(["http://localhost:3000", "http://127.0.0.1:3000"]));
  });
});
