import path from "node:path";
import { getEnv } from "@/lib/env";

/** Where every code package lives: MCPCAN_DATA_DIR/code-packages. */
export function codePackagesRoot(): string {
  return path.resolve(getEnv().MCPCAN_DATA_DIR, "code-packages");
}

/** The folder of one package, its uploaded archive and its extracted files. */
export function codePackagePaths(id: string): { dir: string; archive: string; files: string } {
  const dir = path.join(codePackagesRoot(), id);
  return { dir, archive: path.join(dir, "archive"), files: path.join(dir, "files") };
}
