// Settings → Agent tools (MCP): what the screen shows of the shop's agent tokens, and its Create form
// read into the AgentTokenInput createAgentToken takes (tokens.server.ts). A refused field carries its
// words (`settings:agents.errors.*`, or the money module's), so the staff member reads it in their language.
import { z, type ZodIssue } from "zod";
import { planRefusal } from "../billing/billing.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { fieldWordsOf, issueSaying, type FieldWords } from "../i18n/domain-words";
import type { Locale, Words } from "../i18n/locales";
import { addDays, localDayStart } from "../lib/dates";
import { RefusedError } from "../lib/errors";
import { domainErrorMessage } from "../lib/errors.server";
import { fieldErrorsOf } from "../lib/form";
import { decimalToMinor } from "../lib/money";
import type { AgentLimits } from "./limits";
import { AGENT_SCOPES } from "./scopes";
import { agentTokenInputSchema, createAgentToken, listAgentTokens, type AgentTokenInput, type AgentTokenView } from "./tokens.server";
import { EXPIRY_CHOICES, scopeField } from "./ui/token-form-fields";

const DAY_MS = 86_400_000;
const ERRORS = "settings:agents.errors";

export interface AgentTokensView {
  /** Where agents connect: this deployment's public URL and /mcp. */
  mcpUrl: string;
  /** The shop's currency, the money limit's first choice (empty when Shopify has not said). */
  currency: string;
  /** Why the shop's plan has no agent tools, in the staff member's language; null when it has. */
  planRefused: string | null;
  tokens: AgentTokenView[];
}

export async function agentTokensView(shopId: string, locale: Locale): Promise<AgentTokensView> {
  const [shop, refused, tokens] = await Promise.all([
    db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } }),
    planRefusal(shopId, "agentTools"),
    listAgentTokens(shopId),
  ]);
  return {
    mcpUrl: `${env().SHOPIFY_APP_URL.replace(/\/$/, "")}/mcp`,
    currency: shop.currency ?? "",
    planRefused: refused && domainErrorMessage(refused, locale),
    tokens,
  };
}

const said = (message: string, key: string, values?: Words["values"]) => issueSaying(message, { key: `${ERRORS}.${key}`, ...(values ? { values } : {}) });

/** The name's issues (tokens.server.ts's schema decides them) in words. */
const nameIssueWords = (issue: ZodIssue): Words =>
  issue.code === "too_big" ? { key: `${ERRORS}.nameTooLong`, values: { max: Number(issue.maximum) } } : { key: `${ERRORS}.nameMissing` };

/** The Create form's schema: `timeZone` is the shop's (an expiry date ends there), `now` when it is read. */
const tokenFormSchema = (timeZone: string | null, now: Date) =>
  z
    .object({
      name: z.string().optional().default(""),
      scopes: z.array(z.string()),
      limitCurrency: z.string().trim().toUpperCase().optional().default(""),
      limitPerAction: z.string().trim().optional().default(""),
      limitPerDay: z.string().trim().optional().default(""),
      expiresIn: z.string().optional().default(""),
      expiresOn: z.string().trim().optional().default(""),
    })
    // Every field is checked, so the form shows all its errors at once.
    .transform((form, ctx): AgentTokenInput => {
      const fail = (field: string, issue: ReturnType<typeof issueSaying>) => ctx.addIssue({ ...issue, path: [field] });
      const name = agentTokenInputSchema.shape.name.safeParse(form.name);
      if (!name.success) fail("name", issueSaying(name.error.issues[0].message, nameIssueWords(name.error.issues[0])));
      const scopes = agentTokenInputSchema.shape.scopes.safeParse(form.scopes);
      if (!scopes.success) fail("scopes", said(scopes.error.issues[0].message, "noScope"));

      // A limit in one currency: the token moves no money in any other (limits.ts).
      const limits: AgentLimits = {};
      const currency = form.limitCurrency;
      if (form.limitPerAction || form.limitPerDay) {
        /** Minor units, null when empty, undefined when refused. */
        const amount = (field: "limitPerAction" | "limitPerDay"): number | null | undefined => {
          if (!form[field]) return null;
          const parsed = decimalToMinor(form[field], currency);
          if (!parsed.ok) fail(field, issueSaying(parsed.message, parsed.words));
          else if (parsed.minor === 0) fail(field, said("Enter an amount above zero, or leave it empty.", "aboveZero"));
          else return parsed.minor;
          return undefined;
        };
        if (!/^[A-Z]{3}$/.test(currency)) fail("limitCurrency", said("Enter a three-letter currency code, like EUR.", "currency"));
        else {
          const perAction = amount("limitPerAction");
          const perDay = amount("limitPerDay");
          if (perAction && perDay && perAction > perDay)
            fail("limitPerAction", said("The limit per action cannot be more than the limit per 24 hours.", "perActionOverPerDay"));
          if (perAction !== undefined && perDay !== undefined) limits[currency] = { perAction, perDay };
        }
      }

      let expiresAt: Date | null = null;
      const choice = EXPIRY_CHOICES.find((c) => c === form.expiresIn);
      if (!choice) fail("expiresIn", said("Choose when the token expires.", "expiry"));
      else if (choice === "date") {
        // A real calendar day: not one Date would roll over (31 February).
        const day = form.expiresOn;
        const valid = /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && addDays(day, 0) === day;
        // The token works through the chosen day, in the shop's time zone.
        expiresAt = valid ? localDayStart(addDays(day, 1), timeZone) : null;
        if (!expiresAt) fail("expiresOn", said("Choose a day, like 2027-01-31.", "expiryDate"));
        else if (expiresAt <= now) fail("expiresOn", said("Choose today or a later day.", "expiryPast"));
      } else if (choice !== "never") expiresAt = new Date(now.getTime() + Number(choice) * DAY_MS);

      if (!name.success || !scopes.success) return z.NEVER;
      return { name: name.data, scopes: scopes.data, limits, expiresAt };
    });

type FieldRefusal = { ok: false; fieldErrors: Record<string, string>; fieldWords: FieldWords };

/** The Create form (a plain object of strings) as a token's settings, or its fields' errors. */
function parseAgentTokenForm(form: Record<string, unknown>, timeZone: string | null, now = new Date()): { ok: true; input: AgentTokenInput } | FieldRefusal {
  const scopes = AGENT_SCOPES.filter((scope) => form[scopeField(scope)] === "true");
  const parsed = tokenFormSchema(timeZone, now).safeParse({ ...form, scopes });
  // The issues carry their words (issueSaying; decimalToMinor's for an amount).
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), fieldWords: fieldWordsOf(parsed.error) };
  return { ok: true, input: parsed.data };
}

/**
 * Makes a token from the Create form for the staff member, whose role bounds it from then on. A name
 * another active token has is refused beside the name. Returns the token: the only time it is shown.
 */
export async function createAgentTokenFromForm(
  staff: { shopId: string; actor: string; userId: string },
  form: Record<string, unknown>,
  now = new Date(),
): Promise<{ ok: true; token: string; name: string } | FieldRefusal> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: staff.shopId }, select: { ianaTimezone: true } });
  const parsed = parseAgentTokenForm(form, shop.ianaTimezone, now);
  if (!parsed.ok) return parsed;
  try {
    const { token, row } = await createAgentToken(staff.shopId, parsed.input, { actor: staff.actor, userId: staff.userId });
    return { ok: true, token, name: row.name };
  } catch (error) {
    if (error instanceof RefusedError && error.text) return { ok: false, fieldErrors: { name: error.message }, fieldWords: { name: error.text } };
    throw error;
  }
}
