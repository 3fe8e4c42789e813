import { describe, expect, it } from "vitest";
import { allowedHostsFrom, checkHost } from "./host-guard";

const allowed = allowedHostsFrom("https://mcp.example.com", "gw.internal");

describe("host guard (DNS rebinding)", () => {
  it("accepts the public host, loopback names, IP literals and the extra list", () => {
    for (const host of ["mcp.example.com", "MCP.example.com:443", "localhost:8080", "127.0.0.1:8080", "[::1]:8080", "10.0.0.5", "gw.internal:80", "app.localhost", undefined]) {
      expect(checkHost(host, allowed), String(host)).toBeNull();
    }
  });

  it("refuses a host name nobody configured", () => {
    expect(checkHost("evil.example.com", allowed)).toMatch(/evil\.example\.com/);
    expect(checkHost("mcp.example.com.evil.test", allowed)).not.toBeNull();
  });

  it("can be switched off explicitly", () => {
    expect(checkHost("evil.example.com", allowedHostsFrom("http://localhost:8080", "*"))).toBeNull();
  });
});
