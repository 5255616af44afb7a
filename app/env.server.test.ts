import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env.server";
import { testEnv } from "../test/helpers/env";

describe("configuration", () => {
  it("accepts a complete configuration and applies defaults", () => {
    const env = parseEnv(testEnv);
    expect(env.DATABASE_URL).toBe("file:./prisma/dev.sqlite");
    expect(env.WORKER_IN_PROCESS).toBe(false);
    expect(env.PORT).toBe(3000);
  });

  it("runs in production unless development is asked for", () => {
    const { NODE_ENV: _mode, ...unset } = testEnv;
    expect(parseEnv(unset).NODE_ENV).toBe("production");
    expect(parseEnv({ ...unset, NODE_ENV: "development" }).NODE_ENV).toBe("development");
  });

  it("asks for test charges everywhere but production, unless told", () => {
    expect(parseEnv(testEnv).BILLING_TEST).toBe(true);
    expect(parseEnv({ ...testEnv, NODE_ENV: "production" }).BILLING_TEST).toBe(false);
    expect(parseEnv({ ...testEnv, NODE_ENV: "production", BILLING_TEST: "true" }).BILLING_TEST).toBe(true);
    expect(parseEnv({ ...testEnv, BILLING_TEST: "false" }).BILLING_TEST).toBe(false);
  });

  it("lists the development plan's shops", () => {
    expect(parseEnv({ ...testEnv, BILLING_DEVELOPMENT_SHOPS: " Demo-Shop.myshopify.com, ,b.myshopify.com" }).BILLING_DEVELOPMENT_SHOPS).toEqual([
      "demo-shop.myshopify.com",
      "b.myshopify.com",
    ]);
    const { BILLING_DEVELOPMENT_SHOPS: _unset, ...rest } = testEnv;
    expect(parseEnv(rest).BILLING_DEVELOPMENT_SHOPS).toEqual([]);
  });

  it("names every missing variable", () => {
    const { SHOPIFY_API_SECRET: _s, ENCRYPTION_KEY: _e, ...rest } = testEnv;
    const error = (() => {
      try {
        parseEnv(rest);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toContain("SHOPIFY_API_SECRET is required");
    expect(error!.message).toContain("ENCRYPTION_KEY is required");
  });

  it.each([
    ["ENCRYPTION_KEY", "too-short", "ENCRYPTION_KEY must be 32 bytes"],
    ["SHOPIFY_APP_URL", "not a url", "SHOPIFY_APP_URL must be the public https URL"],
    ["DATABASE_URL", "mysql://x", "DATABASE_URL must start with file:"],
    ["PORT", "70000", "PORT"],
    ["WORKER_IN_PROCESS", "yes", "WORKER_IN_PROCESS"],
    ["WEBHOOK_LIMIT_PER_ENDPOINT", "-1", "WEBHOOK_LIMIT_PER_ENDPOINT"],
    ["TRUST_PROXY_HOPS", "many", "TRUST_PROXY_HOPS"],
    ["BILLING_TEST", "maybe", "BILLING_TEST"],
  ])("rejects a malformed %s", (name, value, message) => {
    expect(() => parseEnv({ ...testEnv, [name]: value })).toThrow(message);
  });

  it("accepts a base64 encryption key and a PostgreSQL URL", () => {
    const env = parseEnv({
      ...testEnv,
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
      DATABASE_URL: "postgresql://u@localhost:5432/db",
    });
    expect(env.DATABASE_URL).toMatch(/^postgresql/);
  });
});
