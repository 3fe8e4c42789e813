import { describe, expect, it } from "vitest";
import { ZInstanceConfig } from "./instances";

describe("instance config", () => {
  it("refuses hosted legacy SSE servers with a message naming the alternative", () => {
    const r = ZInstanceConfig.safeParse({ accessMode: "hosted", transport: "sse", command: "node", args: ["server.js"] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ["transport"], message: expect.stringMatching(/proxy mode/) });
  });

  it("accepts hosted stdio and Streamable HTTP servers, and SSE upstreams in proxy mode", () => {
    expect(ZInstanceConfig.safeParse({ accessMode: "hosted", transport: "stdio", command: "npx", args: ["-y", "@modelcontextprotocol/server-everything"] }).success).toBe(true);
    expect(ZInstanceConfig.safeParse({ accessMode: "hosted", transport: "streamable_http", command: "node", args: ["server.js"] }).success).toBe(true);
    expect(ZInstanceConfig.safeParse({ accessMode: "proxy", transport: "sse", url: "https://mcp.example.com/sse" }).success).toBe(true);
  });
});
