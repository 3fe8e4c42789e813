// Legacy HTTP+SSE (protocol 2024-11-05) between client and a remote SSE upstream. The client opens
// GET /mcp-gateway/{id}/sse; the gateway opens the upstream's SSE stream, swaps the upstream's
// `endpoint` event for /mcp-gateway/{id}/message?sessionId=<gateway session id>, and forwards every
// other event as it arrives. POSTs to that message endpoint go to the upstream message URL. The
// session → upstream URL map lives in memory and in Redis (with a TTL, refreshed while the stream is
// open) so that a POST landing on another gateway process still finds its upstream.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import type Redis from "ioredis";

export type TLegacySession = { instanceId: string; tokenId: string | null; messageUrl: string };

const SESSION_TTL_SEC = 3600;
const redisKey = (id: string): string => `sse-session:${id}`;

export class LegacySessionStore {
  private readonly local = new Map<string, TLegacySession>();

  constructor(private readonly redis: () => Redis) {}

  get size(): number {
    return this.local.size;
  }

  newId(): string {
    return randomUUID();
  }

  async put(id: string, session: TLegacySession): Promise<void> {
    this.local.set(id, session);
    await this.redis()
      .set(redisKey(id), JSON.stringify(session), "EX", SESSION_TTL_SEC)
      .catch(() => undefined);
  }

  refresh(id: string): void {
    void this.redis()
      .expire(redisKey(id), SESSION_TTL_SEC)
      .catch(() => undefined);
  }

  async find(id: string): Promise<TLegacySession | null> {
    const local = this.local.get(id);
    if (local) return local;
    const raw = await this.redis()
      .get(redisKey(id))
      .catch(() => null);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as TLegacySession;
    } catch {
      return null;
    }
  }

  delete(id: string): void {
    this.local.delete(id);
    void this.redis()
      .del(redisKey(id))
      .catch(() => undefined);
  }
}

/**
 * Relays an upstream SSE stream to the client, rewriting the first `endpoint` event. Until that
 * event has passed, complete events are forwarded one by one (each as soon as its blank line
 * arrives); after it, bytes are piped through untouched.
 */
export function relayLegacySse(opts: {
  upstreamRes: http.IncomingMessage;
  res: http.ServerResponse;
  upstreamUrl: URL;
  /** Called with the upstream's absolute message URL; returns the path the client should POST to. */
  onEndpoint: (messageUrl: string) => Promise<string>;
}): void {
  const { upstreamRes, res } = opts;
  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-transform" });
  res.flushHeaders();
  let pending = "";
  let rewritten = false;
  let chain = Promise.resolve();

  const write = (text: string | Buffer): void => {
    if (!res.write(text)) {
      upstreamRes.pause();
      res.once("drain", () => upstreamRes.resume());
    }
  };

  const handleEvent = async (raw: string): Promise<void> => {
    const lines = raw.split(/\r?\n/);
    const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim();
    if (!rewritten && event === "endpoint") {
      const data = lines
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).replace(/^ /, ""))
        .join("\n");
      const messageUrl = new URL(data.trim(), opts.upstreamUrl).toString();
      const path = await opts.onEndpoint(messageUrl);
      rewritten = true;
      write(`event: endpoint\ndata: ${path}\n\n`);
      return;
    }
    write(raw);
  };

  upstreamRes.on("data", (chunk: Buffer) => {
    if (rewritten && pending === "") {
      // Through the chain, so that it stays behind events still queued there.
      chain = chain.then(() => write(chunk));
      return;
    }
    pending += chunk.toString("utf8");
    // Forward each complete event (terminated by a blank line) as soon as it is complete.
    for (;;) {
      const m = /\r?\n\r?\n/.exec(pending);
      if (!m) break;
      const raw = pending.slice(0, m.index + m[0].length);
      pending = pending.slice(m.index + m[0].length);
      chain = chain.then(() => handleEvent(raw));
    }
    if (rewritten && pending !== "") {
      const rest = pending;
      pending = "";
      chain = chain.then(() => write(rest));
    }
  });
  upstreamRes.once("end", () => void chain.then(() => res.end()));
  upstreamRes.once("error", () => res.destroy());
  upstreamRes.once("aborted", () => res.destroy());
  res.once("close", () => {
    if (!upstreamRes.complete) upstreamRes.destroy();
  });
}
