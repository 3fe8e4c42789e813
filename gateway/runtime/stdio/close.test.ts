// close() must leave no process behind: not the servers, not what their launchers started, not one
// that ignores SIGTERM.
import { describe, expect, it, beforeAll } from "vitest";
import { createStdioInstance } from "./index";
import { connectClient, FIXTURE, hostedConfig, memorySink, pidAlive, startHarness, textOf, useTempDataDir, waitFor } from "./testing/harness";

beforeAll(() => {
  useTempDataDir();
});

function startedPids(sink: ReturnType<typeof memorySink>): number[] {
  return sink.lines.flatMap((l) => {
    const m = /^started: pid (\d+)/.exec(l.line);
    return m ? [Number(m[1])] : [];
  });
}

// A launcher like npx: it starts the real server as its own child; this one also ignores SIGTERM and
// outlives its child.
const LAUNCHER = `const c = require("node:child_process").spawn(process.execPath, [${JSON.stringify(FIXTURE)}], { stdio: "inherit" }); process.on("SIGTERM", () => {}); c.on("exit", () => {}); setInterval(() => {}, 1000);`;

describe("createStdioInstance().close()", () => {
  for (const sessionMode of ["per_session", "shared"] as const) {
    it(`stops every process, including launchers' children, in ${sessionMode} mode`, async () => {
      const sink = memorySink();
      const inst = createStdioInstance({ instanceId: `close-${sessionMode.replace("_", "")}`, config: hostedConfig({ sessionMode, args: ["-e", LAUNCHER] }), logSink: sink });
      const h = await startHarness(inst, "close");
      const servers: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { client } = await connectClient(h, i % 2 ? "sse" : "streamable");
        servers.push(JSON.parse(textOf(await client.callTool({ name: "whoami", arguments: {} }))).pid as number);
      }
      const launchers = startedPids(sink);
      expect(launchers.length).toBe(sessionMode === "per_session" ? 3 : 1);
      expect(new Set(servers).size).toBe(sessionMode === "per_session" ? 3 : 1);
      const all = [...launchers, ...servers];
      expect(all.every(pidAlive)).toBe(true);
      await inst.close();
      // The launchers ignore SIGTERM: they went at the SIGKILL after the grace period.
      expect(sink.lines.filter((l) => l.line === "exited: code null, signal SIGKILL").length).toBe(launchers.length);
      expect(all.filter(pidAlive)).toEqual([]);
      expect(inst.stats()).toEqual({ processes: 0, sessions: 0 });
      await h.close();
    }, 30_000);
  }

  it("stops a replica that never finished starting", async () => {
    const sink = memorySink();
    const inst = createStdioInstance({ instanceId: "close-starting", config: hostedConfig({ sessionMode: "shared", args: ["-e", "setInterval(() => {}, 1000)"] }), logSink: sink });
    await waitFor(() => startedPids(sink).length === 1, 5000, "the replica to start");
    const [pid] = startedPids(sink);
    expect(inst.stats().processes).toBe(1);
    await inst.close();
    expect(pidAlive(pid!)).toBe(false);
    expect(inst.stats().processes).toBe(0);
  }, 15_000);
});
