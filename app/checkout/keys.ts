// Formats of Checkout.com credentials, checked before anything is saved so the merchant learns exactly
// which field is wrong. Shared by the settings form (server) and its tests; holds no secrets.
import { z, type ZodError } from "zod";
import { fieldWordsOf, issueSaying, paramsWords, type FieldWords } from "../i18n/domain-words";
import type { Words } from "../i18n/locales";

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

/** At most this many processing channels, or entities, per connection: a workflow condition lists them all. */
const MAX_SCOPE_IDS = 20;
const PROCESSING_CHANNEL = /^pc_[a-z2-7]{26}$/;
const ENTITY = /^ent_[a-z2-7]{26}$/;

/** A list of ids typed one per line, or separated by commas or spaces: each once, in order. */
const idList = z
  .string()
  .optional()
  .transform((v) => [...new Set((v ?? "").split(/[\s,]+/).filter(Boolean))]);

/** What is wrong with a secret key, in English and in words (errors.checkout.form.*). */
interface KeyProblem {
  message: string;
  words: Words;
}

const FORMAT_KEYS = { NAS: { sandbox: "nasSandbox", production: "nasProduction" }, ABC: { sandbox: "abcSandbox", production: "abcProduction" } } as const;
const CHOOSE_ACCOUNT_TYPE = "Choose NAS or ABC.";
const CHOOSE_ENVIRONMENT = "Choose sandbox or production.";

const formWords = (key: string, values?: Words["values"]): Words => ({ key: `checkout.form.${key}`, ...(values ? { values } : {}) });

function secretKeyIssue(key: string, accountType: AccountType, environment: CheckoutEnvironment): KeyProblem | null {
  const patterns = accountType === "NAS" ? NAS_SECRET : ABC_SECRET;
  if (patterns[environment].test(key)) return null;
  const other: CheckoutEnvironment = environment === "sandbox" ? "production" : "sandbox";
  if (patterns[other].test(key))
    return {
      message: `This is a ${other} key, but the environment is set to ${environment}.`,
      words: formWords(other === "production" ? "secretKey.productionKeyInSandbox" : "secretKey.sandboxKeyInProduction"),
    };
  const otherType: AccountType = accountType === "NAS" ? "ABC" : "NAS";
  const otherPatterns = otherType === "NAS" ? NAS_SECRET : ABC_SECRET;
  if (otherPatterns.sandbox.test(key) || otherPatterns.production.test(key))
    return {
      message: `This looks like a ${otherType === "NAS" ? "current platform (NAS)" : "previous platform (ABC)"} key, but the account type is ${accountType}.`,
      words: formWords(otherType === "NAS" ? "secretKey.nasKeyForAbc" : "secretKey.abcKeyForNas"),
    };
  if (key.startsWith("pk_")) return { message: "This is a public key (pk_...). Paste the secret key (sk_...).", words: formWords("secretKey.publicKey") };
  return {
    message:
      accountType === "NAS"
        ? `A ${environment} secret key starts with ${environment === "sandbox" ? "sk_sbox_" : "sk_"} followed by 27 lowercase letters and digits.`
        : `A ${environment} secret key starts with ${environment === "sandbox" ? "sk_test_" : "sk_"} followed by a UUID.`,
    words: formWords(`secretKey.format.${FORMAT_KEYS[accountType][environment]}`),
  };
}

/** Says what is wrong with a secret key for this account type and environment, or null when it fits. */
export function secretKeyProblem(key: string, accountType: AccountType, environment: CheckoutEnvironment): string | null {
  return secretKeyIssue(key, accountType, environment)?.message ?? null;
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
      accountType: z.enum(ACCOUNT_TYPES, { errorMap: () => ({ message: CHOOSE_ACCOUNT_TYPE }) }),
      environment: z.enum(ENVIRONMENTS, { errorMap: () => ({ message: CHOOSE_ENVIRONMENT }) }),
      subdomain: optionalTrimmed,
      processingChannelIds: idList,
      entityIds: idList,
      secretKey: optionalTrimmed,
      signatureKey: optionalTrimmed,
      authorizationHeader: optionalTrimmed,
      clearAuthorizationHeader: z.enum(["on"]).optional(),
    })
    .superRefine((form, ctx) => {
      const issue = (path: string, message: string, words: Words) => ctx.addIssue({ ...issueSaying(message, words), path: [path] });
      if (form.secretKey) {
        const problem = secretKeyIssue(form.secretKey, form.accountType, form.environment);
        if (problem) issue("secretKey", problem.message, problem.words);
      } else if (!hasStored.secretKey) issue("secretKey", "Enter the secret key.", formWords("secretKeyMissing"));
      if (form.accountType === "NAS") {
        if (!form.subdomain)
          issue("subdomain", "Enter your account's API subdomain: the first 8 characters of your client id after cli_.", formWords("subdomainMissing"));
        else if (!/^[a-z0-9]{8}$/.test(form.subdomain))
          issue("subdomain", "The subdomain is 8 lowercase letters or digits (from your client id cli_xxxxxxxx...).", formWords("subdomain"));
      }
      if (form.signatureKey && (form.signatureKey.length < 16 || /\s/.test(form.signatureKey)))
        issue("signatureKey", "A signature key is at least 16 characters with no spaces.", formWords("signatureKey"));
      const badChannel = form.processingChannelIds.find((id) => !PROCESSING_CHANNEL.test(id));
      if (badChannel)
        issue(
          "processingChannelIds",
          `${badChannel} is not a processing channel id: those look like pc_ followed by 26 lowercase letters and digits.`,
          formWords("processingChannel", { id: badChannel }),
        );
      else if (form.processingChannelIds.length > MAX_SCOPE_IDS)
        issue("processingChannelIds", `Enter at most ${MAX_SCOPE_IDS} processing channels.`, formWords("processingChannelsTooMany", { max: MAX_SCOPE_IDS }));
      const badEntity = form.entityIds.find((id) => !ENTITY.test(id));
      if (badEntity)
        issue(
          "entityIds",
          `${badEntity} is not an entity id: those look like ent_ followed by 26 lowercase letters and digits.`,
          formWords("entity", { id: badEntity }),
        );
      else if (form.entityIds.length > MAX_SCOPE_IDS)
        issue("entityIds", `Enter at most ${MAX_SCOPE_IDS} entities.`, formWords("entitiesTooMany", { max: MAX_SCOPE_IDS }));
      if (form.authorizationHeader && (form.authorizationHeader.length > 1024 || /[\r\n]/.test(form.authorizationHeader)))
        issue("authorizationHeader", "The Authorization value must be one line of at most 1024 characters.", formWords("authorization"));
    });
}

/**
 * The words of the connection form's refused fields (errors.checkout.form.*), beside their English
 * (fieldErrorsOf): the refinements carry theirs; a wrong account type or environment is named here.
 */
export function connectionFieldWords(error: ZodError): FieldWords {
  return fieldWordsOf(error, (issue) =>
    issue.message === CHOOSE_ACCOUNT_TYPE ? formWords("accountType") : issue.message === CHOOSE_ENVIRONMENT ? formWords("environment") : paramsWords(issue),
  );
}
