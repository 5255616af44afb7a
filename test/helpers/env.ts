// The configuration every test process starts with. Values are for tests only.
export const TEST_API_KEY = "test-api-key";
export const TEST_API_SECRET = "test-api-secret-0123456789abcdef";
export const TEST_APP_URL = "https://cko-companion.test";
export const TEST_ENCRYPTION_KEY = "0".repeat(63) + "1";

export const testEnv: Record<string, string> = {
  NODE_ENV: "test",
  SHOPIFY_API_KEY: TEST_API_KEY,
  SHOPIFY_API_SECRET: TEST_API_SECRET,
  SHOPIFY_APP_URL: TEST_APP_URL,
  SCOPES: "read_orders,write_orders,read_customers",
  ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
  WORKER_IN_PROCESS: "false",
  LOG_LEVEL: "silent",
  // Every test shop is on the development plan (everything, no Shopify billing calls) unless a test
  // puts it on another (app/billing/billing.server.test.ts).
  BILLING_DEVELOPMENT_SHOPS: "*",
};
