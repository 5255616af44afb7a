// Formats of Checkout.com credentials, checked before anything is saved so the merchant learns exactly
// which field is wrong. Shared by the settings form (server) and its tests; holds no secrets.
import { z } from "zod";

const ACCOUNT_TYPES = ["NAS", "ABC"] as const;
export const ENVIRONMENTS = ["sandbox", "production"] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export type CheckoutEnvironment = (typeof ENVIRONMENTS)[number];

const NAS_SECRET = { sandbox: /^sk_sbox_[a-z2-7]{26}[a-z2-7*#$=]$/, production: /^sk_[a-z2-7]{26}[a-z2-7*#$=]$/ };
const ABC_SECRET = {
  sandbox: /^sk_test_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  production: /^sk_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

export const ENVIRONMENT_LABELS: Record<CheckoutEnvironment, string> = { sandbox: "Sandbox", production: "Production" };

/** At most this many processing channels per connection: a workflow condition lists them all. */
const MAX_PROCESSING_CHANNELS = 20;
const PROCESSING_CHANNEL = /^pc_[a-z2-7]{26}$/;

/** Says what is wrong with a secret key for this account type and environment, or null when it fits. */
export function secretKeyProblem(key: string, accountType: AccountType, environment: CheckoutEnvironment): string | null {
  const patterns = accountType === "NAS" ? NAS_SECRET : ABC_SECRET;
  if (patterns[environment].test(key)) return null;
  const other: CheckoutEnvironment = environment === "sandbox" ? "production" : "sandbox";
  if (patterns[other].test(key)) return `This is a ${other} key, but the environment is set to ${environment}.`;
  const otherType: AccountType = accountType === "NAS" ? "ABC" : "NAS";
  const otherPatterns = otherType === "NAS" ? NAS_SECRET : ABC_SECRET;
  if (otherPatterns.sandbox.test(key) || otherPatterns.production.test(key))
    return `This looks like a ${otherType === "NAS" ? "current platform (NAS)" : "previous platform (ABC)"} key, but the account type is ${accountType}.`;
  if (key.startsWith("pk_")) return "This is a public key (pk_...). Paste the secret key (sk_...).";
  return accountType === "NAS"
    ? `A ${environment} secret key starts with ${environment === "sandbox" ? "sk_sbox_" : "sk_"} followed by 27 lowercase letters and digits.`
    : `A ${environment} secret key starts with ${environment === "sandbox" ? "sk_test_" : "sk_"} followed by a UUID.`;
}

const optionalTrimmed = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

/**
 * The settings form. Secret fields may be left empty when a value is already stored ("keep current").
 * `hasStored` tells whether a secret key exists, so an empty field is only an error when none is. The
 * signature key is optional: the app makes its own when it registers the webhook workflow.
 */
export function connectionFormSchema(hasStored: { secretKey: boolean }) {
  return z
    .object({
      accountType: z.enum(ACCOUNT_TYPES, { errorMap: () => ({ message: "Choose NAS or ABC." }) }),
      environment: z.enum(ENVIRONMENTS, { errorMap: () => ({ message: "Choose sandbox or production." }) }),
      subdomain: optionalTrimmed,
      // One id per line, or separated by commas or spaces.
      processingChannelIds: z
        .string()
        .optional()
        .transform((v) => [...new Set((v ?? "").split(/[\s,]+/).filter(Boolean))]),
      secretKey: optionalTrimmed,
      signatureKey: optionalTrimmed,
      authorizationHeader: optionalTrimmed,
      clearAuthorizationHeader: z.enum(["on"]).optional(),
    })
    .superRefine((form, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
      if (form.secretKey) {
        const problem = secretKeyProblem(form.secretKey, form.accountType, form.environment);
        if (problem) issue("secretKey", problem);
      } else if (!hasStored.secretKey) issue("secretKey", "Enter the secret key.");
      if (form.accountType === "NAS") {
        if (!form.subdomain) issue("subdomain", "Enter your account's API subdomain: the first 8 characters of your client id after cli_.");
        else if (!/^[a-z0-9]{8}$/.test(form.subdomain))
          issue("subdomain", "The subdomain is 8 lowercase letters or digits (from your client id cli_xxxxxxxx...).");
      }
      if (form.signatureKey && (form.signatureKey.length < 16 || /\s/.test(form.signatureKey)))
        issue("signatureKey", "A signature key is at least 16 characters with no spaces.");
      const badChannel = form.processingChannelIds.find((id) => !PROCESSING_CHANNEL.test(id));
      if (badChannel)
        issue("processingChannelIds", `${badChannel} is not a processing channel id: those look like pc_ followed by 26 lowercase letters and digits.`);
      else if (form.processingChannelIds.length > MAX_PROCESSING_CHANNELS)
        issue("processingChannelIds", `Enter at most ${MAX_PROCESSING_CHANNELS} processing channels.`);
      if (form.authorizationHeader && (form.authorizationHeader.length > 1024 || /[\r\n]/.test(form.authorizationHeader)))
        issue("authorizationHeader", "The Authorization value must be one line of at most 1024 characters.");
    });
}
