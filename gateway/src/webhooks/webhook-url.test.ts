import { describe, expect, it } from "vitest";
import { addressClass, checkWebhookUrl } from "./webhook-url.ts";

const resolveTo =
  (...addresses: string[]) =>
  async () =>
    addresses;

describe("addressClass", () => {
  it("sorts IPv4 and IPv6 literals into public, loopback and private", () => {
    for (const a of ["8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700::1111"])
      expect(addressClass(a), a).toBe("public");
    for (const a of ["127.0.0.1", "127.9.9.9", "::1"]) expect(addressClass(a), a).toBe("loopback");
    for (const a of [
      "10.0.0.1",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "fe80::1",
      "fd00::1",
      "::",
      "::ffff:10.0.0.1",
    ])
      expect(addressClass(a), a).toBe("private");
    expect(addressClass("example.com")).toBeNull();
  });
});

describe("checkWebhookUrl", () => {
  const production = { allowLoopback: false, resolve: resolveTo("93.184.215.14") };

  it("accepts a public https URL", async () => {
    expect((await checkWebhookUrl("https://hooks.example.com/zone", production)).host).toBe(
      "hooks.example.com",
    );
  });

  it("refuses http, credentials, unresolvable names and any private address a name resolves to", async () => {
    await expect(checkWebhookUrl("http://hooks.example.com/", production)).rejects.toThrow(/https/);
    await expect(checkWebhookUrl("https://u:p@hooks.example.com/", production)).rejects.toThrow(
      /credentials/,
    );
    await expect(
      checkWebhookUrl("https://x.example/", { allowLoopback: false, resolve: resolveTo() }),
    ).rejects.toThrow(/resolve/);
    const rebinding = { allowLoopback: false, resolve: resolveTo("93.184.215.14", "10.1.2.3") };
    await expect(checkWebhookUrl("https://x.example/", rebinding)).rejects.toThrow(/private/);
    await expect(checkWebhookUrl("https://169.254.169.254/latest", production)).rejects.toThrow(/private/);
    await expect(checkWebhookUrl("https://[fd00::1]/", production)).rejects.toThrow(/private/);
  });

  it("refuses loopback in production, allows it (http too) under npm start, private never", async () => {
    for (const url of ["https://127.0.0.1/", "http://localhost:9999/h", "https://[::1]/"]) {
      await expect(checkWebhookUrl(url, production), url).rejects.toThrow(/loopback/);
      expect((await checkWebhookUrl(url, { ...production, allowLoopback: true })).href).toBe(
        new URL(url).href,
      );
    }
    await expect(checkWebhookUrl("http://10.0.0.1/", { ...production, allowLoopback: true })).rejects.toThrow(
      /private/,
    );
    await expect(
      checkWebhookUrl("http://hooks.example.com/", { ...production, allowLoopback: true }),
    ).rejects.toThrow(/https/);
  });
});
