import { beforeEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "./env";
import { decryptSecret, encryptSecret, generateCredential, hmac, safeEqual } from "./crypto";

describe("crypto", () => {
  beforeEach(() => {
    process.env.MCPCAN_SECRET = "unit-test-secret-unit-test-secret-unit-test";
    resetEnvForTests();
  });

  it("round-trips secrets and never stores plaintext", () => {
    const sealed = encryptSecret("s3cr3t value");
    expect(sealed).not.toContain("s3cr3t");
    expect(decryptSecret(sealed)).toBe("s3cr3t value");
    expect(encryptSecret("same")).not.toBe(encryptSecret("same"));
  });

  it("rejects tampered ciphertext and values sealed under another secret", () => {
    const sealed = encryptSecret("value");
    const parts = sealed.split(".");
    parts[3] = Buffer.from("other").toString("base64url");
    expect(() => decryptSecret(parts.join("."))).toThrow();
    process.env.MCPCAN_SECRET = "another-secret-another-secret-another-secret";
    resetEnvForTests();
    expect(() => decryptSecret(sealed)).toThrow();
  });

  it("separates HMAC purposes and makes 256-bit prefixed credentials", () => {
    expect(hmac("k", "a")).not.toBe(hmac("k", "b"));
    const c = generateCredential("mcpcan_ak_");
    expect(c).toMatch(/^mcpcan_ak_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(c.slice(10), "base64url")).toHaveLength(32);
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
  });
});
