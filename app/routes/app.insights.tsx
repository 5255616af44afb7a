// Insights: payments, declines, disputes and risk holds over a range of the shop's days, compared with the
// period before (app/insights), drawn as charts with the same figures as tables for screen readers and as
// CSV. Admins keep the conversion rates and the dispute thresholds the figures rest on.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, InlineGrid, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { sayFieldErrors, textOf } from "../i18n/domain-words";
import { translator } from "../i18n/i18n";
import { loadInsights, shopClock } from "../insights/queries.server";
import { parseInsightsQuery } from "../insights/query";
import { deleteCurrencyRate, listCurrencyRates, saveCurrencyRate } from "../insights/rates.server";
import { saveDisputeThresholds } from "../insights/settings.server";
import { DeclinesSection } from "../insights/ui/declines";
import { DisputesSection } from "../insights/ui/disputes";
import { InsightsFilters } from "../insights/ui/filters";
import { HoldsSection } from "../insights/ui/holds";
import { PaymentsSection } from "../insights/ui/payments";
import { DELETE_RATE_INTENT, RATE_INTENT, RatesCard, THRESHOLDS_INTENT, ThresholdsCard, thresholdsFromForm } from "../insights/ui/settings-cards";
import { DomainError } from "../lib/errors";
import { domainErrorMessage } from "../lib/errors.server";
import { formObject, readForm } from "../lib/form";
import { roleAllows, type StaffRole } from "../shopify/roles";
import { requireStaff } from "../shopify/staff.server";
import { chartLinks } from "../ui/chart";
import { useFormat } from "../ui/format";
import { formReply } from "../ui/form-reply.server";

export const links = chartLinks;

// Rates and thresholds are settings: they change every converted figure and warning the page shows.
const EDITOR: StaffRole = "admin";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  // Today in the shop's time zone: the presets end on it, and no range may pass it.
  const { today } = await shopClock(staff.shopId);
  const parsed = parseInsightsQuery(new URL(request.url).searchParams, today);
  const canEdit = roleAllows(staff.role, EDITOR);
  if (!parsed.ok) return { today, canEdit, error: textOf(staff.locale, parsed), view: null, rates: [] };
  const [view, rates] = await Promise.all([loadInsights(staff.shopId, parsed.query), listCurrencyRates(staff.shopId)]);
  return { today, canEdit, error: null, view, rates };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, EDITOR);
  const { locale } = staff;
  const t = translator(locale, "insights");
  const form = formObject(await readForm(request));
  if (form.intent === RATE_INTENT) {
    const saved = await saveCurrencyRate(staff.shopId, form, staff.actor);
    if (!saved.ok)
      return formReply({
        intent: RATE_INTENT,
        ok: false,
        message: t("replies.fixFields"),
        fieldErrors: sayFieldErrors(locale, saved.fieldErrors, saved.fieldWords),
      });
    return formReply({ intent: RATE_INTENT, ok: true, message: t("replies.rateSaved", { currency: saved.rate.currency }) });
  }
  if (form.intent === DELETE_RATE_INTENT) {
    try {
      await deleteCurrencyRate(staff.shopId, form.id ?? "", staff.actor);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return formReply({ intent: DELETE_RATE_INTENT, ok: false, message: domainErrorMessage(error, locale) }, error.status);
    }
    return formReply({ intent: DELETE_RATE_INTENT, ok: true, message: t("replies.rateDeleted") });
  }
  if (form.intent === THRESHOLDS_INTENT) {
    const saved = await saveDisputeThresholds(staff.shopId, thresholdsFromForm(form), staff.actor);
    return formReply({ intent: THRESHOLDS_INTENT, ok: saved.ok, message: saved.ok ? t("replies.thresholdsSaved") : textOf(locale, saved) });
  }
  return formReply({ intent: null, ok: false, message: t("replies.unknownForm") });
};

export default function Insights() {
  const { t } = useTranslation("insights");
  const { dateTime } = useFormat();
  const { today, canEdit, error, view, rates } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;
  return (
    <Page title={t("page.title")} subtitle={t("page.subtitle")}>
      {error || !view ? (
        <Banner tone="critical" title={t("query.invalid")} action={{ content: t("query.reset"), url: "/app/insights" }}>
          <p>{error}</p>
        </Banner>
      ) : (
        <BlockStack gap="400">
          {view.building ? (
            <Banner tone="info" title={t("page.buildingTitle")}>
              <p>{t("page.building")}</p>
            </Banner>
          ) : null}
          <InsightsFilters query={view.query} previous={view.previous} today={today} currencies={view.currencies} countries={view.countries} />
          <PaymentsSection view={view} />
          <DeclinesSection view={view} />
          <DisputesSection view={view} />
          <HoldsSection view={view} />
          <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
            <RatesCard
              key={rates.map((rate) => rate.id).join()}
              rates={rates}
              shopCurrency={view.shopCurrency}
              canEdit={canEdit}
              reply={reply}
              busy={busy === RATE_INTENT}
            />
            <ThresholdsCard
              key={view.disputes.thresholds.map((threshold) => `${threshold.id}:${threshold.ratio}:${threshold.minCount}`).join()}
              thresholds={view.disputes.thresholds}
              canEdit={canEdit}
              reply={reply}
              busy={busy === THRESHOLDS_INTENT}
            />
          </InlineGrid>
          <Text as="p" tone="subdued">
            {t("page.zone", { zone: view.timeZone })} {view.refreshedAt ? t("page.refreshed", { date: dateTime(view.refreshedAt) }) : t("page.notRefreshed")}
          </Text>
        </BlockStack>
      )}
    </Page>
  );
}
