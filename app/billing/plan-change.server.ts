// Changing the shop's plan from the Plan page (admins only; the route checks). A paid plan is asked of
// Shopify's Billing API, whose confirmation page the merchant is then sent to (the library's
// billing.request breaks out of the admin's iframe to get there); back to Free cancels the
// subscription. Every request is audited, refusals too; the change itself is audited when Shopify
// reports it (billing.server.ts).
import { BillingError } from "@shopify/shopify-api";
import { audit } from "../audit/audit.server";
import { env } from "../env.server";
import type { Words } from "../i18n/locales";
import type { authenticate } from "../shopify.server";
import type { Staff } from "../shopify/staff.server";
import { refreshPlan } from "./billing.server";
import { PLANS } from "./plans";

type AdminBilling = Awaited<ReturnType<typeof authenticate.admin>>["billing"];

/** `message` in English (the audit log); `words` say it on the Plan page in the staff member's language, Shopify's reason inside as it wrote it. */
export interface PlanChangeReply {
  ok: boolean;
  message: string;
  words?: Words;
  status: number;
}

/** Where Shopify sends the merchant after its confirmation page: this app's Plan page in their admin. */
const planPageUrl = (shop: string) => `https://admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}/apps/${env().SHOPIFY_API_KEY}/app/plan`;

/** Shopify's reasons (userErrors, GraphQL errors) or the library's message. */
function billingErrorText(error: BillingError): string {
  const reasons = Array.isArray(error.errorData) ? error.errorData.map((e: { message?: unknown }) => e?.message).filter((m) => typeof m === "string") : [];
  return reasons.length ? reasons.join("; ") : error.message;
}

async function recorded(staff: Staff, action: string, details: Record<string, unknown>, reply: PlanChangeReply): Promise<PlanChangeReply> {
  await audit({
    shopId: staff.shopId,
    actor: staff.actor,
    source: "admin",
    action,
    details,
    result: reply.ok ? "ok" : "error",
    error: reply.ok ? null : reply.message,
  });
  return reply;
}

/**
 * Asks Shopify for the paid plan's subscription (a test charge unless BILLING_TEST is off). On success
 * this throws the library's way to the confirmation page: a 401 whose header App Bridge follows for a
 * fetch, or a redirect to the exit-iframe page for a document request.
 */
export async function choosePlan(staff: Staff, billing: Pick<AdminBilling, "request">, planId: "growth" | "plus"): Promise<PlanChangeReply> {
  const plan = PLANS[planId];
  const current = await refreshPlan(staff.shopId);
  const test = env().BILLING_TEST;
  const details = { plan: plan.id, from: current.plan.id, test };
  const refuse = (message: string, words: Words, status: number) => recorded(staff, "plan.request", details, { ok: false, message, words, status });
  if (current.plan.id === "development")
    return refuse("This shop is on the development plan: everything is included at no charge.", { key: "billing.developmentIncludesAll" }, 422);
  if (current.plan.id === plan.id)
    return refuse(`This shop is on the ${plan.name} plan already.`, { key: "billing.onPlanAlready", values: { plan: plan.name } }, 409);
  try {
    return await billing.request({ plan: plan.name, isTest: test, returnUrl: planPageUrl(staff.shop) });
  } catch (thrown) {
    if (thrown instanceof Response) {
      await recorded(staff, "plan.request", details, { ok: true, message: "Sent to Shopify to approve the charge.", status: thrown.status });
      throw thrown;
    }
    if (!(thrown instanceof BillingError)) throw thrown;
    const reason = billingErrorText(thrown);
    return refuse(`Shopify did not start the ${plan.name} subscription: ${reason}`, { key: "billing.notStarted", values: { plan: plan.name, reason } }, 502);
  }
}

/** Cancels the paid subscription (Shopify credits the unused part of the period): the shop is on Free. */
export async function cancelPlan(staff: Staff, billing: Pick<AdminBilling, "cancel">): Promise<PlanChangeReply> {
  const current = await refreshPlan(staff.shopId);
  const details = { from: current.plan.id, subscriptionId: current.subscriptionId };
  const refuse = (message: string, words: Words, status: number) => recorded(staff, "plan.cancel", details, { ok: false, message, words, status });
  if (current.plan.id === "development")
    return refuse("This shop is on the development plan: there is nothing to cancel.", { key: "billing.developmentNothingToCancel" }, 422);
  if (!current.subscriptionId) return refuse("This shop is on the Free plan already.", { key: "billing.freeAlready" }, 409);
  try {
    await billing.cancel({ subscriptionId: current.subscriptionId, isTest: env().BILLING_TEST, prorate: true });
  } catch (error) {
    if (!(error instanceof BillingError)) throw error;
    const reason = billingErrorText(error);
    return refuse(
      `Shopify did not cancel the ${current.plan.name} subscription: ${reason}`,
      { key: "billing.notCanceled", values: { plan: current.plan.name, reason } },
      502,
    );
  }
  await refreshPlan(staff.shopId);
  return recorded(staff, "plan.cancel", details, {
    ok: true,
    message: `The ${current.plan.name} subscription is canceled and this shop is on the Free plan. Shopify credits the unused part of the period.`,
    words: { key: "billing.canceled", values: { plan: current.plan.name } },
    status: 200,
  });
}
