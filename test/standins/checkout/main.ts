// Runs the Checkout.com stand-in as its own process:
//   node --import tsx test/standins/checkout/main.ts '<json>'        (or a path to a JSON file)
//   CHECKOUT_STANDIN_CONFIG='<json>' node --import tsx test/standins/checkout/main.ts
// The JSON is CheckoutStandInOptions without functions (accounts, port, actionLatencyMs, webhooks...).
// Prints "Checkout.com stand-in: <url>" once listening; drive it through /_standin/ (README.md).
import fs from "node:fs";
import { z } from "zod";
import { createCheckoutStandIn } from "./server";

const configSchema = z
  .object({
    accounts: z
      .array(
        z
          .object({
            id: z.string().min(1).optional(),
            secretKey: z.string().min(8),
            accountType: z.enum(["NAS", "ABC"]),
            signatureKey: z.string().min(16).optional(),
            webhookUrl: z.string().url().optional(),
            authorizationHeader: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().optional(),
    actionLatencyMs: z.number().int().min(0).optional(),
    idempotencyTtlMs: z.number().int().positive().optional(),
    webhooks: z
      .object({
        delayMs: z.number().int().min(0).optional(),
        retryDelaysMs: z.array(z.number().int().min(0)).optional(),
        timeoutMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

function readConfig(): unknown {
  const source = process.argv[2] ?? process.env.CHECKOUT_STANDIN_CONFIG;
  if (!source) throw new Error("Give the configuration as JSON (or a JSON file path) in argv or CHECKOUT_STANDIN_CONFIG");
  return JSON.parse(source.trim().startsWith("{") ? source : fs.readFileSync(source, "utf8"));
}

async function main() {
  const parsed = configSchema.safeParse(readConfig());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid stand-in configuration: ${issue.path.join(".")}: ${issue.message}`);
  }
  const standIn = await createCheckoutStandIn(parsed.data);
  console.log(`Checkout.com stand-in: ${standIn.url}`);
  const shutdown = () => {
    standIn.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
