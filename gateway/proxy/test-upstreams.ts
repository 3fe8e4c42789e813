// Test-only upstreams for the proxy's tests: a real server-everything child process, and a tiny
// HTTP server that records what it received and answers in the ways the tests need.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`upstream exited with ${child.exitCode} before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`upstream did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type TChildUpstream = { url: string; port: number; stop(): Promise<void> };

/** Starts @modelcontextprotocol/server-everything in `streamableHttp` (/mcp) or `sse` (/sse) mode on a free port. */
export async function startEverything(mode: "streamableHttp" | "sse"): Promise<TChildUpstream> {
  const port = await freePort();
  const bin = path.resolve(process.cwd(), "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
  const child = spawn(process.execPath, [bin, mode], { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  try {
    await waitForPort(port, 20_000, child);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  return {
    port,
    url: `http://127.0.0.1:${port}/${mode === "sse" ? "sse" : "mcp"}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const t = setTimeout(() => child.kill("SIGKILL"), 3000);
        child.once("exit", () => {
          clearTimeout(t);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

export type TRecorded = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

export type TRecordingUpstream = {
  base: string;
  received: TRecorded[];
  /** How many /slow requests were closed by the other side (the gateway aborting them). */
  slowClosed: () => number;
  /** Resolves the held second event of /stream. */
  release(): void;
  stop(): Promise<void>;
};

/**
 * /echo: answers a JSON-RPC result and echoes back, as response headers, every header it received
 * (so a test can check that injected values never reach the client); /slow: never answers;
 * /stream: an SSE response whose second event waits for release().
 */
export async function startRecordingUpstream(): Promise<TRecordingUpstream> {
  const received: TRecorded[] = [];
  let releaseFn: () => void = () => undefined;
  let released = new Promise<void>((r) => (releaseFn = r));
  const open = new Set<http.ServerResponse>();
  let slowClosed = 0;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    const pathName = (req.url ?? "/").split("?")[0];
    if (pathName === "/slow") {
      open.add(res);
      res.once("close", () => {
        if (open.delete(res)) slowClosed += 1;
      });
      return;
    }
    if (pathName === "/stream") {
      res.writeHead(200, { "content-type": "text/event-stream", "mcp-session-id": "up-session-1" });
      res.write(`event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}\n\n`);
      await released;
      res.end(`event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n`);
      return;
    }
    let id: unknown = null;
    try {
      id = (JSON.parse(body) as { id?: unknown }).id ?? null;
    } catch {
      // not JSON
    }
    const echo: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && /^[\x20-\x7e]*$/.test(v)) echo[`x-echo-${k}`] = v;
    // A careless upstream that reflects a secret it was sent into a header the proxy does forward.
    const key = req.headers["x-upstream-key"];
    const cacheControl = typeof key === "string" ? `private, key=${key}` : "no-store";
    res.writeHead(200, { "content-type": "application/json", "mcp-session-id": "up-session-1", "www-authenticate": "Bearer realm=upstream", "cache-control": cacheControl, ...echo });
    res.end(JSON.stringify({ jsonrpc: "2.0", id, result: { ok: true } }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    slowClosed: () => slowClosed,
    release: () => {
      releaseFn();
      released = new Promise<void>((r) => (releaseFn = r));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const r of [...open]) {
          open.delete(r);
          r.destroy();
        }
        releaseFn();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
