// How a client presents an instance token, and how the value is hashed for lookup. Shared by the
// console (creating tokens) and the gateway (checking them) so the two can never disagree.
import { generateCredential, hmac } from "@/lib/crypto";
import type { TTokenType } from "@/lib/validation/instances";

export const TOKEN_PREFIX = "mcpcan_tk_";

/** A new random token value (256 bits, recognisable prefix). */
export function generateTokenValue(): string {
  return generateCredential(TOKEN_PREFIX);
}

/** The lookup key stored for a token value. */
export function tokenLookupHash(value: string): string {
  return hmac(value, "access-token");
}

/** The `Authorization: Basic` value for a username and password. */
export function encodeBasic(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, "utf8").toString("base64");
}

export type TPresented = { type: TTokenType; value: string };

type THeaders = Record<string, string | string[] | undefined>;

function one(h: THeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The credential in a request, by the header it came in: `Authorization: Bearer|Basic …`, `Api-Key`
 * or `X-API-Key`. A token only matches when presented the way its type says. Null when none.
 */
export function readPresentedCredential(headers: THeaders): TPresented | null {
  const auth = one(headers, "authorization")?.trim();
  if (auth) {
    const m = /^(Bearer|Basic)\s+(\S+)$/i.exec(auth);
    if (m) return { type: m[1]!.toLowerCase() === "basic" ? "basic" : "bearer", value: m[2]! };
  }
  const apiKey = one(headers, "api-key")?.trim();
  if (apiKey) return { type: "api_key", value: apiKey };
  const xApiKey = one(headers, "x-api-key")?.trim();
  if (xApiKey) return { type: "x_api_key", value: xApiKey };
  return null;
}

/** Header names that carry client credentials and are never forwarded upstream. */
export const CREDENTIAL_HEADERS = ["authorization", "api-key", "x-api-key", "cookie", "proxy-authorization"] as const;
