// Polls an HTTP endpoint until it answers, giving up when a watched process exits or time runs out.

export type TWaitResult = { status: number } | { gaveUp: "timeout" | "exited" };

/**
 * Polls `url` every 500 ms until `accept(status)` holds. Stops early when `stopWhen` resolves
 * (the process that should answer has exited).
 */
export async function waitForHttp(
  url: string,
  opts: { timeoutMs: number; accept: (status: number) => boolean; stopWhen: Promise<unknown> },
): Promise<TWaitResult> {
  let stopped = false;
  void opts.stopWhen.then(() => {
    stopped = true;
  });
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    if (stopped) return { gaveUp: "exited" };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: "manual" });
      await res.body?.cancel();
      if (opts.accept(res.status)) return { status: res.status };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { gaveUp: stopped ? "exited" : "timeout" };
}

/** The address to poll for a server bound to `host` (a wildcard bind answers on loopback). */
export function loopbackFor(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "[::1]";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
