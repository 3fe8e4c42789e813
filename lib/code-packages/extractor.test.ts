import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { safeEntryPath } from "./extractor";

function reason(name: string): string | undefined {
  try {
    safeEntryPath(name);
    return undefined;
  } catch (err) {
    return (err as AppError).reason;
  }
}

describe("safeEntryPath", () => {
  it("normalises harmless names and treats the root entry as nothing", () => {
    expect(safeEntryPath("./src/./index.js")).toBe("src/index.js");
    expect(safeEntryPath("a//b/")).toBe("a/b");
    expect(safeEntryPath("./")).toBeNull();
    expect(safeEntryPath("..foo/bar..")).toBe("..foo/bar..");
  });

  it("refuses every way out of the folder", () => {
    expect(reason("../x")).toBe("entry_escapes");
    expect(reason("a/../../x")).toBe("entry_escapes");
    expect(reason("a/..")).toBe("entry_escapes");
    expect(reason("/etc/passwd")).toBe("entry_absolute");
    expect(reason("C:/x")).toBe("entry_absolute");
    expect(reason("c:x")).toBe("entry_absolute");
    expect(reason("..\\x")).toBe("entry_bad_name");
    expect(reason("\\\\server\\share")).toBe("entry_bad_name");
    expect(reason("a\0b")).toBe("entry_bad_name");
  });
});
