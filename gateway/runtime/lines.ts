/**
 * Splits a child process's output stream into lines (LF or CRLF) as it arrives. A line that grows
 * past `maxChars` without a newline is handed to `onOverflow` and dropped from the buffer, so a
 * process printing without newlines cannot grow the gateway's memory.
 */
export function readLines(
  stream: NodeJS.ReadableStream | null,
  onLine: (line: string) => void,
  opts: { maxChars: number; onOverflow: (pending: string) => void },
): void {
  if (!stream) return;
  let pending = "";
  stream.setEncoding?.("utf8");
  stream.on("data", (chunk: string) => {
    pending += chunk;
    let nl = pending.indexOf("\n");
    while (nl !== -1) {
      onLine(pending.slice(0, nl).replace(/\r$/, ""));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf("\n");
    }
    if (pending.length > opts.maxChars) {
      opts.onOverflow(pending);
      pending = "";
    }
  });
  stream.on("end", () => {
    if (pending) onLine(pending.replace(/\r$/, ""));
    pending = "";
  });
  stream.on("error", () => undefined);
}
