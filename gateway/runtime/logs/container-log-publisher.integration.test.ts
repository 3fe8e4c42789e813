// Container log lines reach the capped per-instance Redis stream, and a Redis outage costs lines
// (counted), never a blocked bridge.
import Redis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { getEnv } from "@/lib/env";
import { createRedis } from "@/lib/redis";
import { createStdioInstance } from "../stdio/index";
import { connectClient, FIXTURE, hostedConfig, startHarness, textOf, useTempDataDir } from "../stdio/testing/harness";
import { containerLogsKey, createContainerLogPublisher, getContainerLogPublisher, type TContainerLogLine } from "./container-log-publisher";

const line = (n: number): TContainerLogLine => ({ ts: new Date().toISOString(), level: "info", replica: "replica-1", stream: "stderr", line: `line ${n}` });

function fields(entry: [string, string[]]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < entry[1].length; i += 2) out[entry[1][i]!] = entry[1][i + 1]!;
  return out;
}

describe("container log publisher", () => {
  const redis = createRedis();
  afterAll(() => redis.disconnect());

  it("writes lines as {ts, level, replica, stream, line} to ${prefix}container-logs:<id>, capped", async () => {
    const client = createRedis();
    // Lines pushed while the client is still connecting wait in the buffer; this test wants them written.
    if (client.status !== "ready") await new Promise((r) => client.once("ready", r));
    const pub = createContainerLogPublisher({ redis: client, maxLen: 50 });
    for (let i = 0; i < 1200; i++) pub.push("inst-cap", line(i));
    await pub.flush();
    expect(pub.stats()).toMatchObject({ published: 1200, dropped: 0, buffered: 0 });
    // The key carries the configured prefix (the client adds it).
    const raw = new Redis(getEnv().REDIS_URL);
    expect(await raw.exists(`${getEnv().REDIS_KEY_PREFIX}container-logs:inst-cap`)).toBe(1);
    raw.disconnect();
    const len = await redis.xlen(containerLogsKey("inst-cap"));
    expect(len).toBeGreaterThanOrEqual(50);
    expect(len).toBeLessThan(1200); // MAXLEN ~ trims in whole nodes
    const [last] = (await redis.xrevrange(containerLogsKey("inst-cap"), "+", "-", "COUNT", 1)) as Array<[string, string[]]>;
    expect(fields(last!)).toMatchObject({ level: "info", replica: "replica-1", stream: "stderr", line: "line 1199" });
    await pub.close();
    client.disconnect();
  });

  it("drops and counts lines when Redis is down, without blocking or throwing", async () => {
    const down = new Redis("redis://127.0.0.1:6999", { retryStrategy: () => null, maxRetriesPerRequest: 0 });
    down.on("error", () => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const pub = createContainerLogPublisher({ redis: down, maxBuffer: 100 });
    const started = Date.now();
    for (let i = 0; i < 250; i++) pub.push("inst-down", line(i));
    expect(Date.now() - started).toBeLessThan(1000);
    await pub.flush();
    expect(pub.stats()).toMatchObject({ published: 0, dropped: 250, buffered: 0 });
    await pub.close();
  });

  it("carries a hosted process's stderr and runtime events by default", async () => {
    useTempDataDir();
    const id = `logs-${Date.now().toString(36)}`;
    const inst = createStdioInstance({ instanceId: id, config: hostedConfig({ args: [FIXTURE] }) });
    const h = await startHarness(inst, id);
    const { client } = await connectClient(h, "streamable");
    expect(textOf(await client.callTool({ name: "slow", arguments: { ms: 1 } }))).toBe("slept 1");
    await inst.close();
    await h.close();
    await getContainerLogPublisher().flush();
    const entries = ((await redis.xrange(containerLogsKey(id), "-", "+")) as Array<[string, string[]]>).map(fields);
    const replica = entries[0]!.replica!;
    expect(replica).toMatch(/^session-[0-9a-f]{8}$/);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stream: "event", level: "info", line: expect.stringMatching(/^started: pid \d+/), replica }),
        expect.objectContaining({ stream: "stderr", line: "fixture: ready", replica }),
        expect.objectContaining({ stream: "event", line: "exited: code null, signal SIGTERM", replica }),
      ]),
    );
    for (const e of entries) expect(Object.keys(e).sort()).toEqual(["level", "line", "replica", "stream", "ts"]);
    await getContainerLogPublisher().close();
  });
});
