// Child processes for `npm start`, with their output prefixed. They stay in this script's process
// group on purpose: whoever stops the group (Ctrl-C in a terminal, Playwright's webServer teardown
// with SIGKILL to the group) stops them too, where a detached child would survive as an orphan
// holding its port. Next forwards SIGTERM to its own workers, so signalling the child is enough.
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { cyan, dim } from "./cli";

export type TExit = { code: number | null; signal: NodeJS.Signals | null };

export type TChild = {
  name: string;
  process: ChildProcess;
  /** Resolves once, when the process has exited. */
  exited: Promise<TExit>;
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<TExit>;
};

const running = new Set<TChild>();

function signal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(pid, sig);
  } catch {
    // ESRCH: already gone.
  }
}

// If this script dies for any reason, take the children with it rather than leave orphans.
process.on("exit", () => {
  for (const child of running) signal(child.process.pid, "SIGKILL");
});

function pipeLines(stream: NodeJS.ReadableStream | null, prefix: string, out: NodeJS.WriteStream): void {
  if (!stream) return;
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => out.write(`${prefix} ${line}\n`));
}

/** Spawns `command args` with its stdout/stderr lines prefixed by `[name]`; env is inherited. */
export function spawnPrefixed(name: string, command: string, args: string[], opts: { cwd: string }): TChild {
  const proc = spawn(command, args, { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = name === "gateway" ? cyan(`[${name}]`) : dim(`[${name}]`);
  pipeLines(proc.stdout, prefix, process.stdout);
  pipeLines(proc.stderr, prefix, process.stderr);

  let done = false;
  const exited = new Promise<TExit>((resolve) => {
    proc.once("exit", (code, signal) => {
      done = true;
      running.delete(child);
      resolve({ code, signal });
    });
    proc.once("error", (err) => {
      process.stderr.write(`${prefix} could not start ${command}: ${err.message}\n`);
      done = true;
      running.delete(child);
      resolve({ code: 127, signal: null });
    });
  });

  const child: TChild = {
    name,
    process: proc,
    exited,
    hasExited: () => done,
    async stop(graceMs = 10_000) {
      if (done) return exited;
      signal(proc.pid, "SIGTERM");
      const timer = setTimeout(() => signal(proc.pid, "SIGKILL"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  running.add(child);
  return child;
}

/** Stops every child still running (in parallel); `graceMs` 0 kills at once. */
export async function stopAllChildren(graceMs = 10_000): Promise<void> {
  await Promise.all([...running].map((child) => child.stop(graceMs)));
}

/** Describes an exit for a log line: "exited with code 1" or "was killed by SIGKILL". */
export function describeExit(exit: TExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}
