// Payouts in words, for the Payouts list and a payout's page: Checkout.com's action types, and the
// lines that need a look counted as badges.
import { Badge, InlineStack, type BadgeProps } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { PayoutLineView } from "../payout-views.server";

type Flag = NonNullable<PayoutLineView["flag"]>;

/** Another shop's line is for information; one without an order wants looking into; a wrong amount most. */
export const FLAG_TONES: Record<Flag, BadgeProps["tone"]> = { other_shop: "info", no_order: "warning", amount_differs: "critical" };
const FLAGS = Object.keys(FLAG_TONES) as Flag[];

/** A Checkout.com action type in words; a type this version has no words for, as Checkout.com names it. */
export function useActionTypeWords() {
  const { t, i18n } = useTranslation("payouts");
  return (type: string) => (i18n.exists(`payouts:actionTypes.${type}`) ? t(`actionTypes.${type}`) : type);
}

/** A badge per kind of line that needs a look, with how many: "2 without an order". None for none. */
export function FlagCounts({ counts }: { counts: Partial<Record<Flag, number>> }) {
  const { t } = useTranslation("payouts");
  const shown = FLAGS.filter((flag) => (counts[flag] ?? 0) > 0);
  if (!shown.length) return null;
  return (
    <InlineStack gap="100">
      {shown.map((flag) => (
        <Badge key={flag} tone={FLAG_TONES[flag]}>
          {t(`flagCounts.${flag}`, { count: counts[flag] })}
        </Badge>
      ))}
    </InlineStack>
  );
}
