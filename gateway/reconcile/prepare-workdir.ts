// Before a hosted instance's first start (and after a config change that touches them), its working
// directory gets a fresh copy of its code package and its init script runs there. The package's
// extracted files stay untouched: several instances may share one package, and an init script
// (npm ci, pip install…) writes into its own copy.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { codePackageDir } from "@/lib/services/code-packages/code-package-dir";
import type { THostedConfig } from "@/lib/validation/instances";
import type { TContainerLogLine } from "../runtime/logs/container-log-publisher";
import { readLines } from "../runtime/lines";
import { buildChildEnv, instanceWorkDir } from "../runtime/stdio/stdio-process";

const STAMP = ".mcpcan-prepared";

export class PrepareError extends Error {}

/** Copies the code package and runs the init script unless this exact preparation was done already. */
export async function prepareWorkDir(input: {
  instanceId: string;
  organizationId: string;
  config: THostedConfig;
  log: (line: TContainerLogLine) => void;
  findPackageDir?: (organizationId: string, id: string) => Promise<string | null>;
}): Promise<{ prepared: boolean }> {
  const { config } = input;
  const dir = instanceWorkDir(input.instanceId);
  const stamp = createHash("sha256")
    .update(JSON.stringify({ codePackageId: config.codePackageId, initScript: config.initScript }))
    .digest("hex");
  const previous = await readFile(path.join(dir, STAMP), "utf8").catch(() => null);
  if (previous === stamp) return { prepared: false };

  for (const name of await readdir(dir)) await rm(path.join(dir, name), { recursive: true, force: true });
  if (config.codePackageId) {
    const source = await (input.findPackageDir ?? codePackageDir)(input.organizationId, config.codePackageId);
    if (!source) throw new PrepareError(`Code package ${config.codePackageId} does not exist in this organization`);
    await cp(source, dir, { recursive: true, verbatimSymlinks: true, errorOnExist: false });
    event(input, "info", `Code package ${config.codePackageId} copied into the working directory`);
  }
  if (config.initScript?.trim()) await runInitScript(dir, input);
  await writeFile(path.join(dir, STAMP), stamp);
  return { prepared: true };
}

function event(input: { log: (l: TContainerLogLine) => void }, level: TContainerLogLine["level"], line: string): void {
  input.log({ ts: new Date().toISOString(), level, replica: "init", stream: "event", line });
}

async function runInitScript(dir: string, input: { config: THostedConfig; log: (l: TContainerLogLine) => void }): Promise<void> {
  event(input, "info", "Init script started");
  const child = spawn("/bin/sh", ["-c", input.config.initScript!], { cwd: dir, env: buildChildEnv(input.config.env, dir) as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
  for (const stream of ["stdout", "stderr"] as const) {
    const write = (line: string): void => input.log({ ts: new Date().toISOString(), level: stream === "stderr" ? "warn" : "info", replica: "init", stream, line });
    readLines(child[stream], write, { maxChars: 1024 * 1024, onOverflow: write });
  }
  const timeoutMs = Math.max(input.config.startupTimeoutMs, 60_000) * 5;
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      reject(new PrepareError(`Init script did not finish within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(new PrepareError(`Init script could not start: ${err.message}`));
    });
    child.once("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  if (code !== 0) throw new PrepareError(`Init script exited with code ${code}`);
  event(input, "info", "Init script finished");
}
