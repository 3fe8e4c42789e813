import { describe, expect, it } from "vitest";
import { credentialHeader, gatewayMcpUrl, instanceKey, renderAccessConfig, type TAccessClient, type TAccessTarget } from "./access-config";

const id = "fc57f995-1234-4abc-8def-0123456789ab";
const target = (headers: Record<string, string>, url = gatewayMcpUrl("https://gw.example.com/", id)): TAccessTarget => ({ key: instanceKey(id), url, transport: "streamable_http", headers });
const json = (client: TAccessClient, t: TAccessTarget): unknown => JSON.parse(renderAccessConfig(client, t).text);

describe("access config", () => {
  it("names the instance mcp- + the first 8 hex of its id and points at the gateway's /mcp endpoint", () => {
    expect(instanceKey(id)).toBe("mcp-fc57f995");
    expect(gatewayMcpUrl("https://gw.example.com/", id)).toBe(`https://gw.example.com/mcp-gateway/${id}/mcp`);
  });

  it("puts each token type in its header", () => {
    expect(credentialHeader("bearer", "t")).toEqual(["Authorization", "Bearer t"]);
    expect(credentialHeader("api_key", "k")).toEqual(["Api-Key", "k"]);
    expect(credentialHeader("x_api_key", "k")).toEqual(["X-API-Key", "k"]);
    expect(credentialHeader("basic", "dTpw")).toEqual(["Authorization", "Basic dTpw"]);
  });

  it("renders the generic config in exactly the user guide's shape, and Cursor the same", () => {
    const t = target({ Authorization: "Bearer mcpcan_tk_abc" });
    const expected = { mcpServers: { "mcp-fc57f995": { url: `https://gw.example.com/mcp-gateway/${id}/mcp`, headers: { Authorization: "Bearer mcpcan_tk_abc" } } } };
    expect(json("generic", t)).toEqual(expected);
    expect(json("cursor", t)).toEqual(expected);
    expect(renderAccessConfig("generic", t).format).toBe("json");
  });

  it("renders VS Code, Windsurf and Dify in their own shapes", () => {
    const t = target({ "X-API-Key": "k1" });
    const url = t.url;
    expect(json("vscode", t)).toEqual({ servers: { "mcp-fc57f995": { type: "http", url, headers: { "X-API-Key": "k1" } } } });
    expect(json("windsurf", t)).toEqual({ mcpServers: { "mcp-fc57f995": { serverUrl: url, headers: { "X-API-Key": "k1" } } } });
    expect(json("dify", t)).toEqual({ "mcp-fc57f995": { transport: "streamable_http", url, headers: { "X-API-Key": "k1" } } });
  });

  it("runs Claude Desktop through mcp-remote with the header value in an env var", () => {
    const t = target({ Authorization: "Bearer abc", "X-Team": "red" });
    expect(json("claude-desktop", t)).toEqual({
      mcpServers: {
        "mcp-fc57f995": {
          command: "npx",
          args: ["mcp-remote", t.url, "--header", "Authorization:${AUTH_HEADER}", "--header", "X-Team:${HEADER_1}"],
          env: { AUTH_HEADER: "Bearer abc", HEADER_1: "red" },
        },
      },
    });
    const plain = target({}, gatewayMcpUrl("http://10.0.0.5:8080", id));
    expect(json("claude-desktop", plain)).toEqual({ mcpServers: { "mcp-fc57f995": { command: "npx", args: ["mcp-remote", plain.url, "--allow-http"] } } });
    expect((json("claude-desktop", target({}, gatewayMcpUrl("http://localhost:8080", id))) as { mcpServers: Record<string, { args: string[] }> }).mcpServers["mcp-fc57f995"]!.args).not.toContain("--allow-http");
  });

  it("writes the Claude Code command, quoting values a shell would mangle", () => {
    const t = target({ Authorization: "Bearer mcpcan_tk_abc" });
    const r = renderAccessConfig("claude-code", t);
    expect(r.format).toBe("shell");
    expect(r.text).toBe(`claude mcp add --transport http mcp-fc57f995 https://gw.example.com/mcp-gateway/${id}/mcp --header "Authorization: Bearer mcpcan_tk_abc"`);
    const odd = renderAccessConfig("claude-code", target({ "Api-Key": `a$b'"c` })).text;
    expect(odd).toContain(`--header 'Api-Key: a$b'\\''"c'`);
  });

  it("a placeholder token stays a placeholder in every client", () => {
    for (const c of ["generic", "cursor", "claude-desktop", "claude-code", "vscode", "windsurf", "dify"] as const) {
      expect(renderAccessConfig(c, target({ Authorization: "Bearer <token>" })).text).toContain("Bearer <token>");
    }
  });
});
