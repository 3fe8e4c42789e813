import { describe, expect, it } from "vitest";
import { buildUpstreamHeaders, filterResponseHeaders, redactHeaders } from "./headers";

describe("buildUpstreamHeaders", () => {
  const client = {
    authorization: "Bearer mcpcan_tk_secret",
    "api-key": "k",
    "x-api-key": "k2",
    cookie: "a=b",
    "proxy-authorization": "Basic x",
    connection: "keep-alive",
    "transfer-encoding": "chunked",
    host: "gateway",
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-session-id": "s1",
    "mcp-protocol-version": "2025-11-25",
    "last-event-id": "ev-9",
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    "x-pass": "client-value",
    "x-blocked": "client-value",
    "x-unknown": "u",
  };

  it("keeps the MCP headers, drops credentials, hop-by-hop and undeclared headers", () => {
    const out = buildUpstreamHeaders(client, [], {});
    expect(out).toEqual({
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-session-id": "s1",
      "mcp-protocol-version": "2025-11-25",
      "last-event-id": "ev-9",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });
  });

  it("forwards token headers only with pass-through on, never a credential header even if a token declares it", () => {
    const out = buildUpstreamHeaders(
      client,
      [
        { name: "X-Pass", value: "configured", passThrough: true },
        { name: "X-Blocked", value: "configured", passThrough: false },
        { name: "X-Only-Configured", value: "configured", passThrough: true },
        { name: "Authorization", value: "Bearer nope", passThrough: true },
        { name: "Connection", value: "close", passThrough: true },
      ],
      {},
    );
    expect(out["x-pass"]).toBe("client-value");
    expect(out["x-only-configured"]).toBe("configured");
    expect(out["x-blocked"]).toBeUndefined();
    expect(out.authorization).toBeUndefined();
    expect(out.connection).toBeUndefined();
  });

  it("injects the instance's headers last, overriding the client (an instance may set its own Authorization)", () => {
    const out = buildUpstreamHeaders(client, [{ name: "X-Pass", value: "v", passThrough: true }], { Authorization: "Bearer upstream", "X-Pass": "instance" });
    expect(out.authorization).toBe("Bearer upstream");
    expect(out["x-pass"]).toBe("instance");
  });
});

describe("filterResponseHeaders", () => {
  it("returns only what clients need and nothing carrying an injected value", () => {
    const out = filterResponseHeaders(
      { "content-type": "text/event-stream", "mcp-session-id": "s", "cache-control": "private, key=sk-123456", "www-authenticate": "Bearer", "set-cookie": ["a=b"], connection: "close", "x-leak": "sk-123456" },
      { "x-key": "sk-123456" },
    );
    expect(out).toEqual({ "content-type": "text/event-stream", "mcp-session-id": "s" });
  });
});

describe("redactHeaders", () => {
  it("replaces every credential header and the named extra ones", () => {
    const out = redactHeaders({ authorization: "Bearer x", "api-key": "k", "x-api-key": "k", cookie: "c", "x-note": "secret", accept: "*/*", "x-multi": ["a", "b"] }, ["X-Note"]);
    expect(out).toEqual({ authorization: "[redacted]", "api-key": "[redacted]", "x-api-key": "[redacted]", cookie: "[redacted]", "x-note": "[redacted]", accept: "*/*", "x-multi": "a, b" });
  });
});
