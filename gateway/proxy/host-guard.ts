// DNS-rebinding defence for MCP endpoints. A rebinding attack always arrives under the attacker's host
// name, so a request is accepted when its Host is an IP literal or a name the operator allows: the
// gateway's public URL host, loopback names, and MCPCAN_GATEWAY_ALLOWED_HOSTS. Browser origins are
// not restricted: browser-based MCP clients on other origins are legitimate (CORS is open), a
// token-protected instance cannot be driven by a page without the token, and a public instance is
// public by the operator's explicit choice.
import { isIP } from "node:net";

/** Host names accepted on /mcp-gateway requests; `*` in the extra list turns the check off. */
export function allowedHostsFrom(publicUrl: string, extra: string): { any: boolean; names: Set<string> } {
  const list = extra
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const names = new Set<string>(["localhost", new URL(publicUrl).hostname.toLowerCase(), ...list]);
  return { any: list.includes("*"), names };
}

function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]"));
  return h.replace(/:\d+$/, "");
}

function acceptable(name: string, allowed: { any: boolean; names: Set<string> }): boolean {
  if (allowed.any || isIP(name) !== 0) return true;
  return allowed.names.has(name) || name.endsWith(".localhost");
}

/** Null when the request may proceed, else a sentence saying why the Host header was refused. */
export function checkHost(hostHeader: string | undefined, allowed: { any: boolean; names: Set<string> }): string | null {
  if (hostHeader && !acceptable(hostnameOf(hostHeader), allowed)) {
    return `Host "${hostHeader}" is not served here; add it to MCPCAN_GATEWAY_ALLOWED_HOSTS or set MCPCAN_GATEWAY_PUBLIC_URL.`;
  }
  return null;
}
