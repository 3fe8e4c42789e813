// Output helpers shared by the operator scripts (start, migrate, test): short progress lines, and
// a single readable line instead of a stack trace for problems the operator can fix.

/** A problem the operator can fix; its message is printed as one line, without a stack trace. */
export class OperatorError extends Error {}

const tty = process.stdout.isTTY === true;
const paint =
  (code: number) =>
  (text: string): string =>
    tty ? `\u001b[${code}m${text}\u001b[0m` : text;

export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

/** One progress line from a script, e.g. `[start] applying migrations`. */
export function say(tag: string, message: string): void {
  process.stdout.write(`${dim(`[${tag}]`)} ${message}\n`);
}

/** A warning line on stderr. */
export function warn(tag: string, message: string): void {
  process.stderr.write(`${yellow(`[${tag}]`)} ${message}\n`);
}

/** Describes a server URL as host:port, without credentials (safe to print). */
export function describeAddress(url: string, defaultPort: number): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || defaultPort}`;
  } catch {
    return "(unparseable URL)";
  }
}

/**
 * Runs a script's main function: an OperatorError prints its one line and exits 1; anything else
 * is a bug and keeps its stack.
 */
export function runMain(tag: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      if (typeof code === "number") process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof OperatorError) {
        process.stderr.write(`${red(`[${tag}]`)} ${err.message}\n`);
      } else {
        process.stderr.write(`${red(`[${tag}]`)} unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      }
      process.exit(1);
    },
  );
}
