// Addresses of this app's pages inside the Shopify admin, for links followed from outside the admin
// (Flow, Slack, email, Zendesk tickets) and redirects back into it (Zendesk's consent page).

/** The app's handle in shopify.app.toml (a test keeps them equal): embedded app URLs use it. */
export const APP_HANDLE = "checkout-com-companion";

/** A page of this app inside the shop's admin, e.g. adminAppUrl("acme.myshopify.com", "/app/disputes/1"). */
export function adminAppUrl(shopDomain: string, path: string): string {
  const store = shopDomain.replace(/\.myshopify\.com$/, "");
  return `https://admin.shopify.com/store/${encodeURIComponent(store)}/apps/${APP_HANDLE}${path}`;
}
