// One stdio MCP server process: newline-delimited JSON-RPC on stdin/stdout, stderr captured as
// container log lines, stopped with SIGTERM then SIGKILL. It runs in its own process group so that
// launchers (npx, uvx, shells in scripts) and whatever they start are stopped together.
import { readLines } from "../lines";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { getEnv, hostProcessEnv } from "@/lib/env";
import type { THostedConfig } from "@/lib/validation/instances";
import { guessStderrLevel, type TContainerLogLevel, type TContainerLogLine } from "../logs/container-log-publisher";

export const KILL_GRACE_MS = 5000;
const MAX_LINE_CHARS = 64 * 1024 * 1024;

export type TStdioProcessOptions = {
  instanceId: string;
  replica: string;
  config: Pick<THostedConfig, "command" | "args" | "env">;
  log: (line: TContainerLogLine) => void;
  /** One JSON-RPC message per call: the parsed value and the exact line it came from. */
  onMessage: (msg: unknown, raw: string) => void;
  onExit: (info: { code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }) => void;
};

/** The instance's working directory, created on first use. */
export function instanceWorkDir(instanceId: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(instanceId)) throw new Error(`Invalid instance id for a working directory: ${instanceId}`);
  const dir = path.resolve(getEnv().MCPCAN_DATA_DIR, "instances", instanceId);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The child's environment: a minimal base and the instance's own variables (already decrypted).
 * The gateway's own environment (secrets, DATABASE_URL, NODE_OPTIONS…) is never inherited.
 */
export function buildChildEnv(env: THostedConfig["env"], workDir: string): Record<string, string> {
  const host = hostProcessEnv();
  const base: Record<string, string> = { PATH: host.PATH ?? "/usr/local/bin:/usr/bin:/bin", HOME: host.HOME ?? workDir };
  if (host.LANG) base.LANG = host.LANG;
  for (const v of env) base[v.name] = v.value;
  delete base.NODE_OPTIONS;
  return base;
}

export class StdioProcess {
  readonly replica: string;
  pid: number | undefined;
  exited = false;
  private readonly child: ChildProcess;
  private readonly exitPromise: Promise<void>;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: TStdioProcessOptions) {
    this.replica = opts.replica;
    const cwd = instanceWorkDir(opts.instanceId);
    let resolveExit!: () => void;
    this.exitPromise = new Promise((r) => (resolveExit = r));
    this.child = spawn(opts.config.command, opts.config.args, {
      cwd,
      env: buildChildEnv(opts.config.env, cwd) as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
      shell: false,
      detached: true,
      windowsHide: true,
    });
    this.pid = this.child.pid;
    let spawnError: Error | undefined;
    this.child.once("spawn", () => this.event("info", `started: pid ${this.child.pid} (${opts.config.command})`));
    this.child.on("error", (err) => {
      // Before a pid exists this is a spawn failure (ENOENT, EACCES); later ones (a failed kill) are moot.
      if (this.pid !== undefined || spawnError) return;
      spawnError = err;
      this.event("error", `spawn failed: ${err.message}`);
      finish(null, null);
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (this.exited) return;
      this.exited = true;
      if (this.killTimer) clearTimeout(this.killTimer);
      if (this.pid !== undefined) {
        this.event(code === 0 || signal === "SIGTERM" ? "info" : "error", `exited: code ${code ?? "null"}, signal ${signal ?? "null"}`);
        // Whatever the server left running in its group goes with it.
        try {
          process.kill(-this.pid, "SIGKILL");
        } catch {
          // the group is already empty
        }
      }
      resolveExit();
      opts.onExit({ code, signal, spawnError: this.pid === undefined ? spawnError : undefined });
    };
    this.child.once("exit", (code, signal) => finish(code, signal));
    this.child.stdin?.on("error", () => undefined); // EPIPE after the child died: "exit" reports it
    readLines(this.child.stdout, (line) => this.onStdoutLine(line), {
      maxChars: MAX_LINE_CHARS,
      onOverflow: () => this.event("error", `dropped an unterminated output line longer than ${MAX_LINE_CHARS} characters`),
    });
    readLines(this.child.stderr, (line) => opts.log(this.logLine(guessStderrLevel(line), "stderr", line)), {
      maxChars: MAX_LINE_CHARS,
      onOverflow: () => this.event("error", `dropped an unterminated output line longer than ${MAX_LINE_CHARS} characters`),
    });
  }

  /** Writes one message (a single line of JSON) to the server's stdin. */
  send(line: string): boolean {
    if (this.exited || !this.child.stdin || this.child.stdin.destroyed) return false;
    this.child.stdin.write(line + "\n");
    return true;
  }

  /** SIGTERM the process group, SIGKILL after the grace period; resolves when the process has exited. */
  stop(graceMs = KILL_GRACE_MS): Promise<void> {
    if (this.exited || this.pid === undefined) return this.exitPromise;
    if (!this.killTimer) {
      this.signal("SIGTERM");
      this.child.stdin?.end();
      this.killTimer = setTimeout(() => this.signal("SIGKILL"), graceMs);
    }
    return this.exitPromise;
  }

  get exitedPromise(): Promise<void> {
    return this.exitPromise;
  }

  event(level: TContainerLogLevel, line: string): void {
    this.opts.log(this.logLine(level, "event", line));
  }

  private signal(sig: NodeJS.Signals): void {
    if (this.pid === undefined) return;
    try {
      process.kill(-this.pid, sig);
    } catch {
      try {
        this.child.kill(sig);
      } catch {
        // already gone
      }
    }
  }

  private logLine(level: TContainerLogLevel, stream: TContainerLogLine["stream"], line: string): TContainerLogLine {
    return { ts: new Date().toISOString(), level, replica: this.replica, stream, line };
  }

  private onStdoutLine(line: string): void {
    if (line.trim() === "") return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      // Not protocol: a server printing to stdout. Keep it as a log line rather than breaking the session.
      this.opts.log(this.logLine("warn", "stdout", line));
      return;
    }
    this.opts.onMessage(msg, line);
  }
}
