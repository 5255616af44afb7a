import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useMemo } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { getConnection } from "../checkout/connection.server";
import { EnvironmentBadge } from "../checkout/ui/environment-badge";
import type { CheckoutEnvironment } from "../checkout/keys";
import { env } from "../env.server";
import { createI18n } from "../i18n/i18n";
import { polarisTranslations } from "../i18n/polaris";
import { requireStaff } from "../shopify/staff.server";
import { shopTimeZone } from "../shops/shop.server";
import { ShopTimeZoneProvider } from "../ui/format";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const [connection, timeZone] = await Promise.all([getConnection(staff.shopId), shopTimeZone(staff.shopId)]);
  return {
    apiKey: env().SHOPIFY_API_KEY,
    role: staff.role,
    environment: (connection?.environment ?? null) as CheckoutEnvironment | null,
    timeZone,
    locale: staff.locale,
  };
};

function Navigation() {
  const { t } = useTranslation("common");
  return (
    <NavMenu>
      <Link to="/app" rel="home">
        {t("nav.home")}
      </Link>
      <Link to="/app/payments">{t("nav.payments")}</Link>
      <Link to="/app/insights">{t("nav.insights")}</Link>
      <Link to="/app/reconciliation">{t("nav.reconciliation")}</Link>
      <Link to="/app/payouts">{t("nav.payouts")}</Link>
      <Link to="/app/events">{t("nav.events")}</Link>
      <Link to="/app/holds">{t("nav.holds")}</Link>
      <Link to="/app/disputes">{t("nav.disputes")}</Link>
      <Link to="/app/rules">{t("nav.rules")}</Link>
      <Link to="/app/flow">{t("nav.flow")}</Link>
      <Link to="/app/zendesk">{t("nav.zendesk")}</Link>
      <Link to="/app/settings">{t("nav.settings")}</Link>
      <Link to="/app/plan">{t("nav.plan")}</Link>
      <Link to="/app/audit">{t("nav.audit")}</Link>
      <Link to="/app/privacy">{t("nav.privacy")}</Link>
    </NavMenu>
  );
}

export default function App() {
  const { apiKey, environment, timeZone, locale } = useLoaderData<typeof loader>();
  const i18n = useMemo(() => createI18n(locale), [locale]);
  return (
    <I18nextProvider i18n={i18n}>
      <AppProvider isEmbeddedApp apiKey={apiKey} i18n={polarisTranslations[locale]}>
        <Navigation />
        {environment && <EnvironmentBadge environment={environment} />}
        <ShopTimeZoneProvider timeZone={timeZone}>
          <Outlet />
        </ShopTimeZoneProvider>
      </AppProvider>
    </I18nextProvider>
  );
}

// Shopify needs Remix to catch thrown responses (auth redirects) and add its headers.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
