// Read tools about risk: one payment's hold, the shop's rules as they apply to it now, Checkout.com's
// checks and the allow/deny list entries it hits; and the shop's rules in words (also the
// shop://risk-rules resource). The words are the Rules screen's own (English translations).
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { customerPicture } from "../../holds/customer-picture.server";
import { riskHistory } from "../../holds/history.server";
import { describeHits, riskFactsOf, ruleHitsOf } from "../../holds/holds.server";
import { holdDetail } from "../../holds/queue.server";
import { evaluateRisk, hitsDenyList, needsHistory, THREE_DS_LABELS, type RiskRulesConfig, type RuleHit } from "../../holds/rules";
import { listEntriesFor, loadRiskRules } from "../../holds/rules-settings.server";
import { HOLD_STATUS_BADGES } from "../../holds/status-badges";
import { db } from "../../db.server";
import { translator } from "../../i18n/i18n";
import { money, moneySchema, time, timeSchema } from "../format";
import { defineTool, type AgentContext } from "../tool.server";
import type { AgentCaller } from "../tokens.server";
import { findAgentPayment, paymentLookupSchema, paymentName, READ_ANNOTATIONS } from "./payments.server";

/** A currency → minor units setting as the shop shows it: "€1,000.00 or $500.00". */
const amountsText = (amounts: Record<string, number>) =>
  Object.entries(amounts)
    .map(([currency, minor]) => money(minor, currency).formatted)
    .join(" or ");

/** The shop's risk rules in the Rules screen's words: what mode they run in, when they hold, what else they do. */
export function riskRulesInWords(rules: RiskRulesConfig) {
  const t = translator("en", "rules");
  const h = translator("en", "holds");
  const mode = !rules.enabled
    ? `Risk rules are off ("${t("form.enabled")}" is not ticked): no order is held.`
    : rules.monitorOnly
      ? `${t("form.monitorOnly.label")}: ${t("form.monitorOnly.help")}`
      : t("sections.rules.description");
  const { hours, maxPayments, maxCards } = rules.velocity;
  const holdWhen = [
    rules.holdOnFlagged && t("form.holdOnFlagged"),
    rules.scoreThreshold !== null && `${t("form.scoreThreshold.label")} ${rules.scoreThreshold} (Checkout.com scores from 0 to 100).`,
    Object.keys(rules.amountThresholds).length > 0 &&
      `${t("form.amountThresholds.label")} ${amountsText(rules.amountThresholds)} (payments in other currencies are not checked).`,
    rules.holdOnCountryMismatch && t("form.countryMismatch"),
    rules.holdOnCardCountryMismatch && t("form.cardCountryMismatch"),
    rules.holdOnIpCountryMismatch && `${t("form.ipCountryMismatch.label")} (only for payments whose metadata carries ip_country).`,
    maxPayments !== null && `${h("rulesForm.maxPayments")}: ${maxPayments}, within ${hours} hours, per email, card or IP address.`,
    maxCards !== null && `Hold after more than this many different cards: ${maxCards}, within ${hours} hours, per email or IP address.`,
    rules.holdOnAvsNoMatch && h("rulesForm.avs"),
    rules.holdOnCvvNoMatch && h("rulesForm.cvv"),
    rules.holdOn3dsOutcomes.length > 0 && `${h("rulesForm.threeDs")}: ${rules.holdOn3dsOutcomes.map((o) => THREE_DS_LABELS[o]).join(", ")}.`,
    rules.holdOnPriorChargeback && h("rulesForm.priorChargeback"),
    rules.holdOnPriorRefund && h("rulesForm.priorRefund"),
    "The deny list: a payment whose email, card, BIN or Checkout.com customer is deny-listed is always held.",
  ].filter((line): line is string => typeof line === "string");
  const alsoDoes = [
    rules.cancelOnDenyListHit && t("form.cancelOnDenyListHit.label"),
    Object.keys(rules.earlyWarningRefundUpTo).length > 0 && `${t("form.earlyWarnings.label")} ${amountsText(rules.earlyWarningRefundUpTo)}.`,
    rules.shipBy.hours !== null && `${t("form.shipBy.hours.label")}: ${rules.shipBy.hours}; the review queue warns ${rules.shipBy.warningHours} hours before.`,
  ].filter((line): line is string => typeof line === "string");
  return { enabled: rules.enabled, monitorOnly: rules.monitorOnly, mode, holdWhen, alsoDoes };
}

const shopRulesSchema = z.object({
  enabled: z.boolean(),
  monitorOnly: z.boolean().describe("Orders the rules would hold are only recorded, not held in Shopify."),
  mode: z.string(),
  holdWhen: z.array(z.string()).describe("Each rule that is on, in words; any one of them holds an order unless the payment is allow-listed."),
  alsoDoes: z.array(z.string()).describe("What else the rules do (cancel on a deny-list hit, refund on the issuer's early warning, ship-by time)."),
});

const ruleHitSchema = z.object({ rule: z.string().describe("The rule's id, e.g. risk_score, deny_email, velocity_payments."), description: z.string() });

const checkSchema = z.object({
  code: z.string().nullable().describe("The result code as reported (e.g. Y, N, M); null when none was."),
  result: z.string().nullable().describe("What the code means, e.g. both_match, neither, no_match; null when unknown."),
  warning: z.boolean(),
});

const riskOutput = {
  paymentId: z.string(),
  order: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  amount: moneySchema,
  assessment: z
    .object({
      riskFlagged: z.boolean(),
      riskScore: z.number().nullable().describe("0 to 100; null when Checkout.com gave none."),
      avs: checkSchema.describe("Address verification."),
      cvv: checkSchema.describe("Security code check."),
      threeDs: z.object({
        used: z.boolean(),
        outcome: z.string().nullable().describe("authenticated, failed, attempted, not_enrolled or unavailable."),
        warning: z.boolean(),
      }),
      ipAddress: z.string().nullable(),
      ipCountry: z.string().nullable().describe("Only when the checkout sent it (metadata.ip_country)."),
      cardCountry: z.string().nullable(),
      billingCountry: z.string().nullable(),
      shippingCountry: z.string().nullable(),
    })
    .describe("Checkout.com's risk assessment and card checks of this payment."),
  hold: z
    .object({
      status: z.string().describe("pending (being placed in Shopify), held, monitored (monitor only: not held), released, canceled or failed."),
      statusText: z.string(),
      monitorOnly: z.boolean(),
      rulesFired: z.array(ruleHitSchema).describe("The rules that fired when the hold was decided."),
      decidedAt: timeSchema.describe("When the risk rules decided it."),
      heldAt: timeSchema.nullable(),
      resolvedAt: timeSchema.nullable(),
      resolvedBy: z.string().nullable().describe("Who released or canceled it."),
      assignee: z.string().nullable(),
      note: z.string().nullable(),
    })
    .nullable()
    .describe("The risk hold on the payment's order; null when the rules never held it."),
  rulesNow: z
    .object({
      decision: z
        .enum(["none", "allow", "hold", "monitor"])
        .describe("What the shop's rules decide for this payment now: allow means rules fire but an allow-list entry wins."),
      firing: z.array(ruleHitSchema),
      allowedBy: z.object({ kind: z.string(), value: z.string() }).nullable(),
    })
    .describe("The shop's current rules and lists applied to this payment now (they may have changed since the hold was decided)."),
  listHits: z.array(z.object({ list: z.enum(["allow", "deny"]), kind: z.string().describe("email, card_fingerprint, bin or customer."), value: z.string() })),
  shopRules: shopRulesSchema,
};

const hitViews = (hits: RuleHit[], currency: string) => {
  const words = describeHits(hits, currency);
  return hits.map((hit, i) => ({ rule: hit.rule, description: words[i] }));
};

async function orderRisk(caller: AgentCaller, lookup: string) {
  const payment = await findAgentPayment(caller, lookup);
  const { shopId } = caller;
  const [rules, entries, hold] = await Promise.all([
    loadRiskRules(shopId),
    listEntriesFor(shopId),
    db().hold.findUnique({ where: { paymentId: payment.id }, select: { id: true, ruleHits: true } }),
  ]);
  const detail = hold ? await holdDetail(shopId, hold.id) : null;
  const picture = detail?.picture ?? (await customerPicture(shopId, payment));
  const { checks } = picture;
  // The same facts the review read when it decided (app/holds/review.server.ts), as they are now.
  const history = needsHistory(rules)
    ? await riskHistory(payment, {
        hours: rules.velocity.hours,
        velocity: rules.velocity.maxPayments !== null || rules.velocity.maxCards !== null,
        chargebacks: rules.holdOnPriorChargeback,
        refunds: rules.holdOnPriorRefund,
      })
    : null;
  const decision = evaluateRisk(riskFactsOf(payment, checks.ipCountry.value, history), rules, entries);
  const firing = hitViews(decision.hits, payment.currency);
  const denied = decision.hits.filter((hit) => hitsDenyList([hit]));
  const allowedBy = decision.action === "allow" ? { kind: decision.allowedBy.kind, value: decision.allowedBy.value } : null;
  const at = (iso: string | null) => (iso ? time(new Date(iso), caller.timeZone) : null);
  return {
    payment,
    view: {
      paymentId: payment.ckoPaymentId,
      order: payment.orderLink ? { id: payment.orderLink.orderGid, name: payment.orderLink.orderName } : null,
      amount: money(payment.amount, payment.currency),
      assessment: {
        riskFlagged: payment.riskFlagged,
        riskScore: payment.riskScore,
        avs: checks.avs,
        cvv: checks.cvv,
        threeDs: checks.threeDs,
        ipAddress: checks.ipAddress,
        ipCountry: checks.ipCountry.value,
        cardCountry: checks.cardCountry.value,
        billingCountry: checks.billingCountry.value,
        shippingCountry: checks.shippingCountry,
      },
      hold: detail && {
        status: detail.status,
        statusText: HOLD_STATUS_BADGES[detail.status]?.label ?? detail.status,
        monitorOnly: detail.monitorOnly,
        rulesFired: hold ? hitViews(ruleHitsOf(hold), payment.currency) : [],
        decidedAt: time(new Date(detail.decidedAt), caller.timeZone),
        heldAt: at(detail.heldAt),
        resolvedAt: at(detail.resolvedAt),
        resolvedBy: detail.resolvedBy,
        assignee: detail.assignment.name,
        note: detail.note,
      },
      rulesNow: { decision: decision.action, firing, allowedBy },
      listHits: [
        // A deny hit's threshold is the list entry it matched.
        ...denied.map((hit) => ({ list: "deny" as const, kind: hit.rule.replace(/^deny_/, ""), value: String(hit.threshold ?? hit.value) })),
        ...(allowedBy ? [{ list: "allow" as const, ...allowedBy }] : []),
      ],
      shopRules: riskRulesInWords(rules),
    },
  };
}

function riskSummary(payment: Parameters<typeof paymentName>[0], view: Awaited<ReturnType<typeof orderRisk>>["view"]) {
  const { assessment: a, hold, rulesNow } = view;
  const holdWords = hold
    ? `Hold: ${hold.statusText.toLowerCase()}${hold.monitorOnly ? " (monitor only)" : ""}, decided ${hold.decidedAt.formatted} because: ${hold.rulesFired.map((r) => r.description).join("; ") || "no rule recorded"}.` +
      (hold.resolvedBy && hold.resolvedAt ? ` ${hold.statusText} by ${hold.resolvedBy} on ${hold.resolvedAt.formatted}.` : "")
    : "No risk hold.";
  const checks = [
    a.riskFlagged ? "flagged as risky" : "not flagged",
    a.riskScore === null ? "no risk score" : `risk score ${a.riskScore}`,
    a.threeDs.used ? `3-D Secure ${a.threeDs.outcome ?? "result unknown"}` : "no 3-D Secure",
    a.avs.code ? `AVS ${a.avs.code}${a.avs.result ? ` (${a.avs.result.replaceAll("_", " ")})` : ""}` : "no AVS result",
    a.cvv.code ? `CVV ${a.cvv.code}${a.cvv.result ? ` (${a.cvv.result.replaceAll("_", " ")})` : ""}` : "no CVV result",
  ].join(", ");
  const firing = rulesNow.firing.map((r) => r.description).join("; ");
  const now = {
    none: "Applied now, the shop's rules would not hold it.",
    hold: `Applied now, the shop's rules would hold it: ${firing}.`,
    monitor: `Applied now, the shop's rules (monitor only) would record it: ${firing}.`,
    allow: `Applied now, rules fire (${firing}) but ${rulesNow.allowedBy?.kind} ${rulesNow.allowedBy?.value} is on the allow list.`,
  }[rulesNow.decision];
  return `${paymentName(payment)}, ${view.amount.formatted}. ${holdWords} Checkout.com: ${checks}. ${now}`;
}

export function registerRiskTools(server: McpServer, context: AgentContext) {
  defineTool(
    server,
    context,
    {
      name: "get_order_risk",
      title: "Get an order's risk review",
      description:
        "Why a payment's order is (or is not) held: the risk hold (status, the rules that fired, monitor only, when it was decided and who released or canceled it), the shop's rules as they apply to the payment now, Checkout.com's assessment (risk flag, score, 3-D Secure, AVS and CVV checks, countries) and the allow or deny list entries it hits. Read it before release_hold or cancel_order. Find the payment by payment id, order name or reference.",
      scope: "read",
      input: { payment: paymentLookupSchema },
      output: riskOutput,
      annotations: READ_ANNOTATIONS,
    },
    async ({ payment: lookup }, caller) => {
      const { payment, view } = await orderRisk(caller, lookup);
      return { summary: riskSummary(payment, view), data: view, audit: { paymentId: payment.id, orderGid: payment.orderLink?.orderGid ?? null } };
    },
  );
}
