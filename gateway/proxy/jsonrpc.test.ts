import { describe, expect, it } from "vitest";
import { jsonRpcErrorBody, requestIds, summarizeJsonRpc } from "./jsonrpc";

describe("summarizeJsonRpc", () => {
  it("reads method, id and the tools/call tool name", () => {
    const s = summarizeJsonRpc(Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "echo", arguments: {} } })));
    expect(s).toEqual({ batch: false, items: [{ method: "tools/call", id: 3, toolName: "echo" }] });
  });

  it("lists every message of a batch, notifications and responses included", () => {
    const s = summarizeJsonRpc(
      Buffer.from(JSON.stringify([{ jsonrpc: "2.0", id: "a", method: "tools/list" }, { jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: 9, result: {} }])),
    );
    expect(s?.batch).toBe(true);
    expect(s?.items.map((i) => i.method)).toEqual(["tools/list", "notifications/initialized", null]);
    expect(requestIds(s)).toEqual(["a"]);
  });

  it("returns null for an empty or non-JSON body", () => {
    expect(summarizeJsonRpc(null)).toBeNull();
    expect(summarizeJsonRpc(Buffer.alloc(0))).toBeNull();
    expect(summarizeJsonRpc(Buffer.from("{not json"))).toBeNull();
  });
});

describe("jsonRpcErrorBody", () => {
  it("answers each request id, an array for a batch, and nothing when there are only notifications", () => {
    const single = summarizeJsonRpc(Buffer.from('{"jsonrpc":"2.0","id":"r1","method":"ping"}'))!;
    expect(JSON.parse(jsonRpcErrorBody(single, -32001, "Upstream timeout")!)).toEqual({ jsonrpc: "2.0", id: "r1", error: { code: -32001, message: "Upstream timeout" } });
    const notification = summarizeJsonRpc(Buffer.from('{"jsonrpc":"2.0","method":"notifications/cancelled"}'))!;
    expect(jsonRpcErrorBody(notification, -32001, "x")).toBeNull();
    const batch = summarizeJsonRpc(Buffer.from('[{"jsonrpc":"2.0","id":0,"method":"ping"}]'))!;
    expect(JSON.parse(jsonRpcErrorBody(batch, -32001, "x")!)).toEqual([{ jsonrpc: "2.0", id: 0, error: { code: -32001, message: "x" } }]);
  });
});
