// The app's configuration: every environment variable, parsed once at start-up with zod.
// A missing or malformed variable stops the process with a message naming it (README: Configuration).
import { z } from "zod";

const booleanString = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const encryptionKey = z.string().refine((v) => decodeKey(v) !== null, "must be 32 bytes, as 64 hex characters or base64");

const envSchema = z.object({
  // Production unless development is asked for: only "development" makes server.ts start the Vite dev
  // server, which serves source files and node_modules (shopify.web.toml's dev command asks for it).
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id from the Partner Dashboard)"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret)"),
  SHOPIFY_APP_URL: z.string().url("must be the public https URL of this app"),
  SCOPES: z.string().optional(),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  DATABASE_URL: z
    .string()
    .default("file:./prisma/dev.sqlite")
    .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), "must start with file: (SQLite) or postgresql://"),
  // SQLite durability: NORMAL survives an app crash (WAL); FULL also survives power loss, slower.
  SQLITE_SYNCHRONOUS: z.enum(["NORMAL", "FULL"]).default("NORMAL"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  ENCRYPTION_KEY: encryptionKey,
  // Previous key, still accepted for decryption while secrets are re-encrypted (rotation).
  ENCRYPTION_KEY_PREVIOUS: encryptionKey.optional(),
  // Base URL for Checkout.com API calls instead of the real hosts (the local stand-in).
  CHECKOUT_API_BASE_URL: z.string().url().optional(),
  // Origin for Zendesk's API and OAuth instead of https://<subdomain>.zendesk.com (the local stand-in).
  ZENDESK_API_BASE_URL: z.string().url().optional(),
  // The operator's Zendesk OAuth client (Zendesk Admin Center > Apps and integrations > OAuth clients),
  // for merchants to connect their Zendesk account with OAuth; without it they connect with an API token.
  ZENDESK_OAUTH_CLIENT_ID: z.string().min(1).optional(),
  ZENDESK_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
  // Run the webhook worker inside the web process (default) or only in `npm run worker`.
  WORKER_IN_PROCESS: booleanString.default("true"),
  // Event batches a worker applies at the same time (each up to 64 events; they are database work).
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  // Jobs a worker runs at the same time. Most of a job is a wait on Shopify or Checkout.com (50 ms or
  // more a call), so a few slots cap the job lane far below the jobs a sale queues: 4 slots run at
  // most 80 order checks a second at Shopify's 50 ms.
  WORKER_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  WORKER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  WORKER_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  // A worker process (`npm run worker`) answers /healthz and /readyz on this port when it is set.
  WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // On SIGTERM, how long to keep serving with /readyz answering 503 before closing, so a load
  // balancer stops sending requests first (its health-check interval × failure threshold).
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(300).default(0),
  // Checkout.com webhook intake limits, per process, in requests a second (docs/decisions/0008); 0 is
  // no limit. Per known endpoint; per client address to known endpoints; per client address to ids
  // that are not endpoints (50 times more for an address that delivered a signed event in the hour).
  WEBHOOK_LIMIT_PER_ENDPOINT: z.coerce.number().min(0).default(5000),
  WEBHOOK_LIMIT_PER_IP: z.coerce.number().min(0).default(10000),
  WEBHOOK_LIMIT_UNKNOWN_PER_IP: z.coerce.number().min(0).default(5),
  // After the webhook signing key changes, how long deliveries signed with the previous one are still
  // accepted: Checkout.com retries a delivery for up to about 2½ days, with the key it was signed with.
  WEBHOOK_KEY_GRACE_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 14)
    .default(72),
  // Proxies in front of the app (load balancer, CDN) whose X-Forwarded-For entries name the client.
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  // Plans (README: Plans): ask Shopify for test charges, which move no money. Unset: everywhere but
  // production. The demo runs a production build and sets it.
  BILLING_TEST: booleanString.optional(),
  // Shops on the development plan (everything, no charge): comma-separated *.myshopify.com domains,
  // or * for every shop (local development and the test suites only).
  BILLING_DEVELOPMENT_SHOPS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
});

const settingsSchema = envSchema.transform((e) => ({ ...e, BILLING_TEST: e.BILLING_TEST ?? e.NODE_ENV !== "production" }));

export type Env = z.infer<typeof settingsSchema>;

export function decodeKey(value: string): Buffer | null {
  const hex = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : null;
  if (hex) return hex;
  const b64 = Buffer.from(value, "base64");
  return b64.length === 32 ? b64 : null;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = settingsSchema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".");
        const message = issue.code === "invalid_type" && issue.received === "undefined" ? "is required" : issue.message;
        return `${name} ${message}`;
      }),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/** The parsed configuration. The first call validates process.env; a bad value throws ConfigError. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For entry points (server.ts, the worker process): the configuration, or exit naming every bad variable. */
export function envOrExit(): Env {
  try {
    return env();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** Tests change process.env between cases; this forgets the parsed copy. */
export function resetEnvForTests() {
  cached = undefined;
}
