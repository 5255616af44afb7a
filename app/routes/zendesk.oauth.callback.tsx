// Where Zendesk sends the merchant's browser back after its consent page (outside Shopify admin, so no
// session token: the stored state names the shop). A known state ends on the admin's Zendesk page,
// which says how it went; an unknown, used or malformed one gets a short page here, in the browser's language.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { translator } from "../i18n/i18n";
import { resolveLocale } from "../i18n/locale.server";
import { adminZendeskPageUrl, finishZendeskOAuth } from "../zendesk/oauth.server";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const finished = await finishZendeskOAuth(new URL(request.url).searchParams);
  if (finished.shopDomain) return redirect(adminZendeskPageUrl(finished.shopDomain, finished.outcome));
  const locale = resolveLocale({ param: null, remembered: null, session: null, acceptLanguage: request.headers.get("accept-language") });
  const t = translator(locale, "zendesk");
  const page = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(t("account.callback.title"))}</title></head>
<body style="font:16px system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem"><h1>${escapeHtml(t("account.callback.title"))}</h1>
<p>${escapeHtml(t("account.callback.unknownState"))}</p></body></html>`;
  return new Response(page, { status: 400, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
};
