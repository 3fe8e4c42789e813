// A hosted stdio MCP server behind both client transports. See docs in ./README.md.
import type { THostedConfig } from "@/lib/validation/instances";
import type { TLocalUpstream } from "../../upstream/types";
import { getContainerLogPublisher, type TContainerLogLine, type TContainerLogSink } from "../logs/container-log-publisher";
import { ClientSessions, type TBackend } from "./client-sessions";
import { PerSessionBackend } from "./per-session";
import { SharedBackend, type TCrashPolicy } from "./shared";
import { instanceWorkDir } from "./stdio-process";

export type TStdioInstance = TLocalUpstream & {
  /** Ends every session and stops every process (SIGTERM, SIGKILL after 5 s); resolves once all have exited. */
  close(): Promise<void>;
  stats(): { processes: number; sessions: number };
};

export type TCreateStdioInstanceInput = {
  instanceId: string;
  /** The hosted config with env values already decrypted (plaintext). */
  config: THostedConfig;
  /** Where container log lines go; the process-wide Redis publisher by default. */
  logSink?: TContainerLogSink;
  /** Shared mode: the pool gives up after this many crashes in the window (default 5 in 5 min). */
  crashPolicy?: TCrashPolicy;
  /** Called when the instance can no longer serve (the crash policy gave up). */
  onStateChange?: (state: "failed", message: string) => void;
};

/**
 * Serves a hosted stdio instance over Streamable HTTP (<base>/mcp) and legacy SSE (<base>/sse).
 * Throws when the instance id is not a safe folder name (letters, digits, `_`, `-`).
 */
export function createStdioInstance({ instanceId, config, logSink, crashPolicy, onStateChange }: TCreateStdioInstanceInput): TStdioInstance {
  instanceWorkDir(instanceId); // refuses an id that is not a safe folder name, before any process starts
  const sink = logSink ?? getContainerLogPublisher();
  const log = (line: TContainerLogLine): void => sink.push(instanceId, line);
  const backend: TBackend & { close(): Promise<void>; processCount: number } =
    config.sessionMode === "shared" ? new SharedBackend({ instanceId, config, log, crashPolicy, onStateChange }) : new PerSessionBackend({ instanceId, config, log });
  const sessions = new ClientSessions(backend);
  let closing: Promise<void> | null = null;
  return {
    kind: "local",
    handle: (req, res, body, ctx) => sessions.handle(req, res, body, ctx),
    close() {
      closing ??= (async () => {
        sessions.closing = true;
        sessions.terminateAll();
        await backend.close();
      })();
      return closing;
    },
    stats: () => ({ processes: backend.processCount, sessions: sessions.size }),
  };
}

export type { TContainerLogLine, TContainerLogSink } from "../logs/container-log-publisher";
