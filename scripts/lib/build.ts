// Decides whether the console's production build (.next) is current, and rebuilds it when not.
// The build is current when .next holds a build whose stamp equals a hash over the build inputs;
// any edit to those inputs (or a fresh clone) triggers `next build`.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Directories whose contents end up in the Next build. */
export const BUILD_INPUT_DIRS = ["app", "components", "lib", "db/schema", "i18n", "messages", "public", "styles"];
/** Single files that change what the build produces (package-lock.json pins every dependency). */
export const BUILD_INPUT_FILES = [
  "proxy.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "components.json",
];
export const BUILD_STAMP = path.join(".next", "mcpcan-build-hash");

// Tests never reach the bundle; editing one must not cost a rebuild.
const NOT_BUILD_INPUT = /\.(test|integration\.test|spec)\.tsx?$/;

function listFiles(root: string, rel: string, out: string[]): void {
  const abs = path.join(root, rel);
  if (!existsSync(abs)) return;
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === ".DS_Store") continue;
    const child = path.posix.join(rel, entry.name);
    if (entry.isDirectory()) listFiles(root, child, out);
    else if (entry.isFile() && !NOT_BUILD_INPUT.test(entry.name)) out.push(child);
  }
}

/** sha256 over the relative path and content of every build input, in a stable order. */
export function computeBuildHash(root: string): string {
  const files: string[] = [];
  for (const dir of BUILD_INPUT_DIRS) listFiles(root, dir, files);
  for (const file of BUILD_INPUT_FILES) if (existsSync(path.join(root, file))) files.push(file);
  files.sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(file);
    hash.update("\0");
    hash.update(readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** Why the build must be redone, or null when `.next` matches the current inputs. */
export function staleBuildReason(root: string, hash: string): string | null {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) return "no production build in .next yet";
  const stamp = path.join(root, BUILD_STAMP);
  if (!existsSync(stamp)) return "the build in .next was not made by npm start";
  if (readFileSync(stamp, "utf8").trim() !== hash) return "sources changed since the last build";
  return null;
}

/** Records that `.next` was built from inputs with this hash. */
export function writeBuildStamp(root: string, hash: string): void {
  writeFileSync(path.join(root, BUILD_STAMP), hash + "\n");
}
