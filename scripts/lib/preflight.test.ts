import net from "node:net";
import { describe, expect, it } from "vitest";
import { OperatorError } from "./cli";
import { checkPortFree, isRedisTooOld } from "./preflight";
import { loopbackFor } from "./wait-http";

describe("preflight helpers", () => {
  it("knows which Redis versions are too old for streams consumer features", () => {
    expect(isRedisTooOld("6.0.16")).toBe(true);
    expect(isRedisTooOld("5.9.9")).toBe(true);
    expect(isRedisTooOld("6.2.0")).toBe(false);
    expect(isRedisTooOld("7.0.15")).toBe(false);
    expect(isRedisTooOld("unknown")).toBe(false);
  });

  it("reports a taken port as one line naming the variable to change", async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, "127.0.0.1", r));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const check = checkPortFree(port, "127.0.0.1", "console", "PORT");
      await expect(check).rejects.toBeInstanceOf(OperatorError);
      await expect(checkPortFree(port, "127.0.0.1", "console", "PORT")).rejects.toThrow(new RegExp(`^Port ${port} \\(console\\) is already in use.*set PORT`));
    } finally {
      await new Promise((r) => holder.close(r));
    }
    await expect(checkPortFree(port, "127.0.0.1", "console", "PORT")).resolves.toBeUndefined();
  });

  it("polls a wildcard bind on loopback", () => {
    expect(loopbackFor("0.0.0.0")).toBe("127.0.0.1");
    expect(loopbackFor("::")).toBe("[::1]");
    expect(loopbackFor("192.168.1.5")).toBe("192.168.1.5");
    expect(loopbackFor("fe80::1")).toBe("[fe80::1]");
  });
});
