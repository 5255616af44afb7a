// What cancelling a held order would do with the money, shown before the Finance reviewer confirms.
// Amounts go out in minor units with their currency: the page formats them in the staff member's language.
import { planMoneyActions } from "../money/actions.server";
import { ShopifyApiError } from "../shopify/admin-api.server";

/** What cancelling would do with the money (read from Shopify), or why that cannot be known now. */
export async function cancelPreview(shopId: string, paymentId: string) {
  try {
    const plan = await planMoneyActions(shopId, paymentId);
    if (!plan) return null;
    const money = plan.limits.voidable ? "void" : plan.limits.refundable > 0 ? "refund" : null;
    return {
      via: plan.via,
      directReason: plan.directReason,
      /** `directReason` in words, for the page to say in the reviewer's language. */
      directWords: plan.directWords,
      money,
      /** Minor units refunded on cancelling (in `currency`), when the money is refunded. */
      amount: money === "refund" ? plan.limits.refundable : null,
      currency: plan.currency,
      /** Shopify's answer when it could not be asked about the order. */
      error: null,
    };
  } catch (error) {
    if (!(error instanceof ShopifyApiError)) throw error;
    return { via: null, directReason: null, directWords: undefined, money: null, amount: null, currency: null, error: error.message };
  }
}

export type CancelPreview = Awaited<ReturnType<typeof cancelPreview>>;
