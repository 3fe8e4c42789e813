// Shared-mode multiplexing: ids and progress tokens rewritten per replica and mapped back exactly.
import { describe, expect, it } from "vitest";
import { IdMux, negotiateProtocolVersion } from "./id-mux";

type S = { name: string };
const a: S = { name: "a" };
const b: S = { name: "b" };

function req(id: string | number, progressToken?: string | number): Record<string, unknown> {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name: "echo", arguments: {}, ...(progressToken === undefined ? {} : { _meta: { progressToken, other: 1 } }) } };
}

describe("IdMux", () => {
  it("gives colliding client ids unique replica ids and maps responses back with the original id and type", () => {
    const mux = new IdMux<S>();
    const ra = mux.clientRequest(a, req(1));
    const rb = mux.clientRequest(b, req(1));
    const rs = mux.clientRequest(b, req("1"));
    expect(new Set([ra.replicaId, rb.replicaId, rs.replicaId]).size).toBe(3);
    expect(JSON.parse(ra.line)).toMatchObject({ id: ra.replicaId, method: "tools/call", params: { name: "echo" } });

    const back = mux.fromReplica({ jsonrpc: "2.0", id: rs.replicaId, result: { ok: "s" } }, "");
    expect(back).toMatchObject({ to: "session", session: b, related: "1", isResponse: true });
    expect(JSON.parse((back as { text: string }).text)).toEqual({ jsonrpc: "2.0", id: "1", result: { ok: "s" } });
    const backA = mux.fromReplica({ jsonrpc: "2.0", id: ra.replicaId, result: {} }, "");
    expect(backA).toMatchObject({ session: a, related: 1 });
    expect(JSON.parse((backA as { text: string }).text).id).toBe(1);
    // Answered once: a duplicate response goes nowhere.
    expect(mux.fromReplica({ jsonrpc: "2.0", id: ra.replicaId, result: {} }, "")).toEqual({ to: "drop" });
  });

  it("rewrites progress tokens and sends progress only to the session that asked, with its own token", () => {
    const mux = new IdMux<S>();
    const ra = mux.clientRequest(a, req(7, 7));
    const rb = mux.clientRequest(b, req(7, 7));
    const ta = JSON.parse(ra.line).params._meta;
    const tb = JSON.parse(rb.line).params._meta;
    expect(ta.progressToken).not.toBe(tb.progressToken);
    expect(ta.other).toBe(1);
    const route = mux.fromReplica({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: tb.progressToken, progress: 1 } }, "");
    expect(route).toMatchObject({ to: "session", session: b, related: 7 });
    expect(JSON.parse((route as { text: string }).text).params).toEqual({ progressToken: 7, progress: 1 });
    // Progress for an unknown token is dropped, never broadcast.
    expect(mux.fromReplica({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 999, progress: 1 } }, "")).toEqual({ to: "drop" });
  });

  it("rewrites cancellations to the replica id and swallows initialized and cancellations of unknown requests", () => {
    const mux = new IdMux<S>();
    const ra = mux.clientRequest(a, req("x"));
    expect(mux.clientNotification(b, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "x" } }, "").line).toBeNull();
    const c = mux.clientNotification(a, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "x", reason: "r" } }, "");
    expect(JSON.parse(c.line!)).toEqual({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: ra.replicaId, reason: "r" } });
    expect(c.cancelled).toEqual({ replicaId: ra.replicaId, origId: "x" });
    expect(mux.inflightCount).toBe(0);
    expect(mux.clientNotification(a, { jsonrpc: "2.0", method: "notifications/initialized" }, "raw").line).toBeNull();
    expect(mux.clientNotification(a, { jsonrpc: "2.0", method: "notifications/roots/list_changed" }, "raw").line).toBe("raw");
  });

  it("routes a server request to the session with the most recent request in flight and accepts only its response", () => {
    const mux = new IdMux<S>();
    mux.clientRequest(a, req(1));
    mux.clientRequest(b, req(1));
    const raw = '{"jsonrpc":"2.0","id":0,"method":"sampling/createMessage","params":{}}';
    expect(mux.fromReplica(JSON.parse(raw), raw)).toEqual({ to: "session", session: b, text: raw });
    expect(mux.clientResponse(a, { jsonrpc: "2.0", id: 0, result: {} }, "from-a")).toBeNull();
    expect(mux.clientResponse(b, { jsonrpc: "2.0", id: 0, result: {} }, "from-b")).toBe("from-b");
    expect(mux.clientResponse(b, { jsonrpc: "2.0", id: 0, result: {} }, "again")).toBeNull();
  });

  it("answers a server request itself when no session has a request in flight", () => {
    const mux = new IdMux<S>();
    const route = mux.fromReplica({ jsonrpc: "2.0", id: 5, method: "roots/list" }, "");
    expect(route.to).toBe("replica");
    expect(JSON.parse((route as { line: string }).line)).toMatchObject({ id: 5, error: { code: -32603 } });
  });

  it("broadcasts unrelated notifications and keeps the runtime's own requests apart", () => {
    const mux = new IdMux<S>();
    const own = mux.internalId();
    const r = mux.clientRequest(a, req(own));
    expect(r.replicaId).not.toBe(own);
    expect(mux.fromReplica({ jsonrpc: "2.0", id: own, result: {} }, "")).toMatchObject({ to: "internal", id: own });
    expect(mux.fromReplica({ jsonrpc: "2.0", method: "notifications/tools/list_changed" }, "raw")).toEqual({ to: "broadcast", text: "raw" });
  });

  it("cancels a leaving session's requests on the replica and fails the server requests it held", () => {
    const mux = new IdMux<S>();
    const ra = mux.clientRequest(a, req(1, "p"));
    mux.fromReplica({ jsonrpc: "2.0", id: 3, method: "elicitation/create" }, "");
    const { lines, replicaIds } = mux.dropSession(a);
    expect(replicaIds).toEqual([ra.replicaId]);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: ra.replicaId, reason: "client session closed" } },
      { jsonrpc: "2.0", id: 3, error: { code: -32603, message: "The client session closed" } },
    ]);
    expect(mux.inflightCount).toBe(0);
  });

  it("drains every request in flight when the replica dies", () => {
    const mux = new IdMux<S>();
    mux.clientRequest(a, req("q"));
    mux.clientRequest(b, req(2));
    expect(mux.drainAll().map((d) => [d.session.name, d.origId])).toEqual([["a", "q"], ["b", 2]]);
    expect(mux.inflightCount).toBe(0);
  });
});

describe("negotiateProtocolVersion", () => {
  const known = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];
  it("echoes a known version the replica can speak and falls back to the replica's otherwise", () => {
    expect(negotiateProtocolVersion("2025-03-26", "2025-11-25", known)).toBe("2025-03-26");
    expect(negotiateProtocolVersion("2025-11-25", "2025-06-18", known)).toBe("2025-06-18");
    expect(negotiateProtocolVersion("2099-01-01", "2025-11-25", known)).toBe("2025-11-25");
    expect(negotiateProtocolVersion(undefined, "2025-11-25", known)).toBe("2025-11-25");
  });
});
