import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getSecret } from "./env";

function subKey(purpose: string): Buffer {
  // Separate keys per purpose so that a value made for one use is useless for another.
  return createHash("sha256").update(`mcpcan:${purpose}:`).update(getSecret()).digest();
}

/** HMAC-SHA256 (hex) of a value under the instance secret; used to look up keys and tokens. */
export function hmac(value: string, purpose = "lookup"): string {
  return createHmac("sha256", subKey(`hmac:${purpose}`)).update(value).digest("hex");
}

/** A random, URL-safe credential: `prefix` + 43 base64url characters (256 bits). */
export function generateCredential(prefix: string): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** AES-256-GCM encryption of a secret value at rest; output is `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", subKey("encrypt"), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

/** Reverses encryptSecret; throws when the value was tampered with or made under another secret. */
export function decryptSecret(sealed: string): string {
  const [v, iv, tag, body] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || body === undefined) throw new Error("Unrecognised encrypted value");
  const decipher = createDecipheriv("aes-256-gcm", subKey("encrypt"), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
