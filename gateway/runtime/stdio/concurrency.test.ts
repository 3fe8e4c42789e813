// Many clients at once, in both session modes: every response and every progress notification must
// reach the session that asked, and no other. Sessions reuse the same request ids and progress
// tokens (the SDK numbers them from 0 per client), so a routing mistake shows up as a wrong echo,
// an unknown id, or progress counted in the wrong session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStdioInstance, type TStdioInstance } from "./index";
import { connectClient, hostedConfig, memorySink, recordMessages, startHarness, textOf, useTempDataDir, type THarness } from "./testing/harness";

const SESSIONS = 20;
const ECHOES = 3;

beforeAll(() => {
  useTempDataDir();
});

for (const sessionMode of ["per_session", "shared"] as const) {
  describe(`${sessionMode}: ${SESSIONS} concurrent sessions`, () => {
    let inst: TStdioInstance;
    let h: THarness;
    beforeAll(async () => {
      const id = `cc-${sessionMode.replace("_", "")}`;
      inst = createStdioInstance({ instanceId: id, config: hostedConfig({ sessionMode, minReplicas: 1, maxReplicas: 2 }), logSink: memorySink() });
      h = await startHarness(inst, id);
    });
    afterAll(async () => {
      await inst.close();
      await h.close();
    });

    it("delivers every response and progress notification to the session that asked, and no other", async () => {
      const sessions = await Promise.all(
        Array.from({ length: SESSIONS }, async (_, i) => {
          const c = await connectClient(h, i % 2 ? "sse" : "streamable", { name: `client-${i}` });
          const errors: Error[] = [];
          c.client.onerror = (e) => errors.push(e);
          return { i, ...c, seen: recordMessages(c.transport), errors };
        }),
      );
      expect(inst.stats().sessions).toBe(SESSIONS);

      await Promise.all(
        sessions.map(async (s) => {
          const steps = 2 + (s.i % 4); // a different number of steps per session makes misrouted progress visible
          const sdkProgress: number[] = [];
          const calls = [
            ...Array.from({ length: ECHOES }, (_, k) =>
              s.client.callTool({ name: "echo", arguments: { message: `session-${s.i}-call-${k}` } }).then((r) => expect(textOf(r)).toBe(`Echo: session-${s.i}-call-${k}`)),
            ),
            s.client
              .callTool({ name: "trigger-long-running-operation", arguments: { duration: 0.4, steps } }, undefined, { onprogress: (p) => sdkProgress.push(p.progress) })
              .then((r) => expect(textOf(r)).toBe(`Long running operation completed. Duration: 0.4 seconds, Steps: ${steps}.`)),
          ];
          await Promise.all(calls);
          // At the transport: exactly this session's progress, 1..steps, under its own token.
          const progress = s.seen.filter((m) => m.method === "notifications/progress").map((m) => m.params as { progress: number; total: number; progressToken: unknown });
          expect(progress.map((p) => p.progress)).toEqual(Array.from({ length: steps }, (_, k) => k + 1));
          expect(new Set(progress.map((p) => p.total))).toEqual(new Set([steps]));
          expect(new Set(progress.map((p) => p.progressToken)).size).toBe(1);
          // Every response carries an id this client sent, once.
          const responseIds = s.seen.filter((m) => "result" in m || "error" in m).map((m) => m.id);
          expect(new Set(responseIds).size).toBe(responseIds.length);
          // ...and all of it before the call's response (the SDK uses the request id as the token).
          const token = progress[0]!.progressToken;
          const responseAt = s.seen.findIndex((m) => m.id === token && "result" in m);
          const lastProgressAt = s.seen.findLastIndex((m) => m.method === "notifications/progress");
          expect(responseAt).toBeGreaterThan(lastProgressAt);
          // The SDK client drops progress that lands in the same read as its response and reports it
          // as an "unknown token" error; that is fine for its own token, anything else is a misroute.
          const unexpected = s.errors.filter((e) => {
            const m = /^Received a progress notification for an unknown token: (.*)$/s.exec(e.message);
            return !m || (JSON.parse(m[1]!) as { params: { progressToken: unknown } }).params.progressToken !== token;
          });
          expect(unexpected).toEqual([]);
          expect(sdkProgress.every((p, k) => p === k + 1)).toBe(true);
        }),
      );

      if (sessionMode === "per_session") expect(inst.stats().processes).toBe(SESSIONS);
      else expect(inst.stats().processes).toBe(2); // 20 sessions > 16 per replica: scaled to maxReplicas
      await Promise.all(sessions.map((s) => s.client.close()));
    }, 180_000);
  });
}

describe(`per_session: ${SESSIONS} concurrent sessions with server→client requests`, () => {
  it("sends every sampling and roots/list request to the session whose call caused it, and its answer back", async () => {
    const { CreateMessageRequestSchema, ListRootsRequestSchema } = await import("@modelcontextprotocol/sdk/types.js");
    const { FIXTURE } = await import("./testing/harness");
    const inst = createStdioInstance({ instanceId: "cc-sampling", config: hostedConfig({ args: [FIXTURE] }), logSink: memorySink() });
    const h = await startHarness(inst, "cc-sampling");
    try {
      await Promise.all(
        Array.from({ length: SESSIONS }, async (_, i) => {
          const { client } = await connectClient(h, i % 2 ? "sse" : "streamable", { capabilities: { capabilities: { sampling: {}, roots: {} } } });
          const asked: string[] = [];
          client.setRequestHandler(CreateMessageRequestSchema, async (req) => {
            const tag = (req.params.messages[0]?.content as { text: string }).text;
            asked.push(tag);
            return { role: "assistant", content: { type: "text", text: `c${i}:${tag}` }, model: "m" };
          });
          client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: `file:///c${i}` }] }));
          const results = await Promise.all([
            ...[0, 1, 2].map((k) => client.callTool({ name: "ask-sampling", arguments: { tag: `s${i}-${k}` } })),
            client.callTool({ name: "ask-roots", arguments: {} }),
          ]);
          expect(results.map(textOf)).toEqual([`sampled:c${i}:s${i}-0`, `sampled:c${i}:s${i}-1`, `sampled:c${i}:s${i}-2`, `roots:file:///c${i}`]);
          expect(asked.sort()).toEqual([`s${i}-0`, `s${i}-1`, `s${i}-2`]);
          await client.close();
        }),
      );
    } finally {
      await inst.close();
      await h.close();
    }
  }, 180_000);
});
