import { describe, expect, it } from "vitest";
import { resolveTraceId } from "./trace";

describe("resolveTraceId", () => {
  it("takes the trace id of a valid traceparent", () => {
    expect(resolveTraceId("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(resolveTraceId(["00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-00"])).toBe("0af7651916cd43dd8448eb211c80319c");
  });

  it("generates 32 hex characters for missing, malformed, version ff or all-zero ids", () => {
    for (const bad of [undefined, "", "garbage", "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "00-00000000000000000000000000000000-b7ad6b7169203331-01", "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"]) {
      const id = resolveTraceId(bad);
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(id).not.toBe("0af7651916cd43dd8448eb211c80319c");
    }
  });
});
