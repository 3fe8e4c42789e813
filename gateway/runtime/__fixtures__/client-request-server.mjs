#!/usr/bin/env node
// A tiny stdio MCP server for the runtime's tests: tools that send server→client requests
// (sampling, roots/list) during a call, report the process, wait, or crash.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "runtime-fixture", version: "1.0.0" }, { capabilities: { logging: {} } });
const text = (t) => ({ content: [{ type: "text", text: t }] });

server.registerTool("ask-sampling", { inputSchema: { tag: z.string() } }, async ({ tag }) => {
  const res = await server.server.createMessage({ messages: [{ role: "user", content: { type: "text", text: tag } }], maxTokens: 16 });
  return text(`sampled:${res.content.type === "text" ? res.content.text : "?"}`);
});

server.registerTool("ask-roots", {}, async () => {
  const res = await server.server.listRoots();
  return text(`roots:${res.roots.map((r) => r.uri).join(",")}`);
});

server.registerTool("whoami", {}, async () => text(JSON.stringify({ pid: process.pid, cwd: process.cwd(), envKeys: Object.keys(process.env).sort(), secret: process.env.FIXTURE_SECRET ?? null })));

server.registerTool("slow", { inputSchema: { ms: z.number() } }, async ({ ms }, extra) => {
  extra.signal.addEventListener("abort", () => console.error(`fixture: slow ${ms} cancelled`));
  await new Promise((r) => setTimeout(r, ms));
  return text(`slept ${ms}`);
});

server.registerTool("crash", {}, async () => {
  console.error("fixture: crashing on request");
  setTimeout(() => process.exit(3), 10);
  return new Promise(() => {});
});

server.registerTool("announce", {}, async () => {
  await server.server.sendLoggingMessage({ level: "info", data: "announcement" });
  return text("announced");
});

console.error("fixture: ready");
await server.connect(new StdioServerTransport());
