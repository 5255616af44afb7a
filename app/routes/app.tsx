import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { getConnection } from "../checkout/connection.server";
import { EnvironmentBadge } from "../checkout/ui/environment-badge";
import type { CheckoutEnvironment } from "../checkout/keys";
import { env } from "../env.server";
import { requireStaff } from "../shopify/staff.server";
import { shopTimeZone } from "../shops/shop.server";
import { ShopTimeZoneProvider } from "../ui/shop-time";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const [connection, timeZone] = await Promise.all([getConnection(staff.shopId), shopTimeZone(staff.shopId)]);
  return {
    apiKey: env().SHOPIFY_API_KEY,
    role: staff.role,
    environment: (connection?.environment ?? null) as CheckoutEnvironment | null,
    timeZone,
  };
};

export default function App() {
  const { apiKey, environment, timeZone } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/payments">Payments</Link>
        <Link to="/app/events">Events</Link>
        <Link to="/app/holds">Risk holds</Link>
        <Link to="/app/disputes">Disputes</Link>
        <Link to="/app/rules">Risk rules</Link>
        <Link to="/app/flow">Shopify Flow</Link>
        <Link to="/app/zendesk">Zendesk</Link>
        <Link to="/app/settings">Settings</Link>
        <Link to="/app/plan">Plan</Link>
        <Link to="/app/audit">Audit log</Link>
        <Link to="/app/privacy">Privacy</Link>
      </NavMenu>
      {environment && <EnvironmentBadge environment={environment} />}
      <ShopTimeZoneProvider timeZone={timeZone}>
        <Outlet />
      </ShopTimeZoneProvider>
    </AppProvider>
  );
}

// Shopify needs Remix to catch thrown responses (auth redirects) and add its headers.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
