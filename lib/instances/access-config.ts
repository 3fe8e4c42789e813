// The client configuration the console shows per token (design §6): the same endpoint and
// credential header, written the way each AI client expects it.
import { ACCESS_CLIENT_NAMES, type TTokenType } from "@/lib/validation/instances";

export const ACCESS_CLIENTS = ACCESS_CLIENT_NAMES;
export type TAccessClient = (typeof ACCESS_CLIENTS)[number];

/** Shown instead of the token value to callers who may not reveal it. */
export const TOKEN_PLACEHOLDER = "<token>";

export type TAccessConfig = {
  client: TAccessClient;
  /** `json` is a file to paste into the client's settings; `shell` is a command to run. */
  format: "json" | "shell";
  /** Exactly what the copy button copies. */
  text: string;
};

export type TAccessTarget = {
  /** The server's name in the client config (`mcp-` + first 8 hex of the instance id). */
  key: string;
  url: string;
  transport: "streamable_http" | "sse";
  /** Headers the client sends, credential first; empty for a public instance. */
  headers: Record<string, string>;
};

/** The instance key AI clients see: `mcp-` + the first 8 hex digits of the instance id. */
export function instanceKey(instanceId: string): string {
  return `mcp-${instanceId.replace(/-/g, "").slice(0, 8)}`;
}

/** The gateway's Streamable HTTP endpoint of an instance. */
export function gatewayMcpUrl(gatewayPublicUrl: string, instanceId: string): string {
  return `${gatewayPublicUrl.replace(/\/+$/, "")}/mcp-gateway/${instanceId}/mcp`;
}

/** The header a token of this type is presented in, as [name, value]. */
export function credentialHeader(type: TTokenType, value: string): [string, string] {
  switch (type) {
    case "bearer":
      return ["Authorization", `Bearer ${value}`];
    case "basic":
      return ["Authorization", `Basic ${value}`];
    case "api_key":
      return ["Api-Key", value];
    case "x_api_key":
      return ["X-API-Key", value];
  }
}

/** Quotes a shell word: double quotes when nothing inside needs escaping, else single quotes. */
function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(s)) return s;
  if (!/["$`\\!]/.test(s)) return `"${s}"`;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const pretty = (v: unknown): string => JSON.stringify(v, null, 2);

function mcpRemote(t: TAccessTarget): { command: string; args: string[]; env?: Record<string, string> } {
  const args = ["mcp-remote", t.url];
  // mcp-remote refuses plain http to anything but localhost unless told.
  const u = new URL(t.url);
  if (u.protocol === "http:" && !["localhost", "127.0.0.1", "[::1]"].includes(u.hostname)) args.push("--allow-http");
  if (t.transport === "sse") args.push("--transport", "sse-only");
  const env: Record<string, string> = {};
  Object.entries(t.headers).forEach(([name, value], i) => {
    // Claude Desktop and Cursor on Windows split args at spaces, so the value travels in an env var
    // and the header is written without a space after the colon (mcp-remote's documented pattern).
    const v = i === 0 ? "AUTH_HEADER" : `HEADER_${i}`;
    args.push("--header", `${name}:\${${v}}`);
    env[v] = value;
  });
  return Object.keys(env).length ? { command: "npx", args, env } : { command: "npx", args };
}

/** Renders one client's configuration for an instance endpoint and its headers. */
export function renderAccessConfig(client: TAccessClient, t: TAccessTarget): TAccessConfig {
  const headers = t.headers;
  switch (client) {
    case "generic":
    case "cursor":
      return { client, format: "json", text: pretty({ mcpServers: { [t.key]: { url: t.url, headers } } }) };
    case "claude-desktop":
      return { client, format: "json", text: pretty({ mcpServers: { [t.key]: mcpRemote(t) } }) };
    case "claude-code": {
      const parts = ["claude", "mcp", "add", "--transport", t.transport === "sse" ? "sse" : "http", shellQuote(t.key), shellQuote(t.url)];
      for (const [name, value] of Object.entries(headers)) parts.push("--header", shellQuote(`${name}: ${value}`));
      return { client, format: "shell", text: parts.join(" ") };
    }
    case "vscode":
      return { client, format: "json", text: pretty({ servers: { [t.key]: { type: t.transport === "sse" ? "sse" : "http", url: t.url, headers } } }) };
    case "windsurf":
      return { client, format: "json", text: pretty({ mcpServers: { [t.key]: { serverUrl: t.url, headers } } }) };
    case "dify":
      return { client, format: "json", text: pretty({ [t.key]: { transport: t.transport, url: t.url, headers } }) };
  }
}
