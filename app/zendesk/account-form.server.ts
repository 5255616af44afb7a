// The "Zendesk account" card's forms on Settings > Zendesk (app/zendesk/ui/account-card.tsx): start
// connecting with OAuth (answers the consent page's URL, for the top frame), connect with an API
// token, disconnect. The page's action hands these intents here after its admin-only guard.
import type { Locale } from "../i18n/locales";
import { sayFieldErrors } from "../i18n/domain-words";
import { translator } from "../i18n/i18n";
import { formReply } from "../ui/form-reply.server";
import type { AccountIntent } from "./form-intents";
import { connectZendeskWithApiToken, disconnectZendeskAccount, zendeskOAuthConfigured } from "./account.server";
import { startZendeskOAuth } from "./oauth.server";

export async function answerAccountForm(intent: AccountIntent, staff: { shopId: string; actor: string; locale: Locale }, form: Record<string, string>) {
  const { shopId, actor, locale } = staff;
  const t = translator(locale, "zendesk");
  switch (intent) {
    case "account.oauth": {
      if (!zendeskOAuthConfigured()) return formReply({ intent, ok: false, message: t("account.oauthUnavailable") }, 409);
      const started = await startZendeskOAuth(shopId, form, actor);
      if (!started.ok)
        return formReply({ intent, ok: false, message: t("account.invalid"), fieldErrors: sayFieldErrors(locale, started.fieldErrors, started.fieldWords) });
      return formReply({ intent, ok: true, message: t("account.redirecting"), authorizeUrl: started.authorizeUrl });
    }
    case "account.apiToken": {
      const result = await connectZendeskWithApiToken(shopId, form, actor);
      if (result.ok) return formReply({ intent, ok: true, message: t("account.connected") });
      if (result.reason === "invalid")
        return formReply({ intent, ok: false, message: t("account.invalid"), fieldErrors: sayFieldErrors(locale, result.fieldErrors, result.fieldWords) });
      return result.reason === "refused"
        ? formReply({ intent, ok: false, message: t("account.tokenRefused", { subdomain: result.subdomain }) }, 422)
        : formReply({ intent, ok: false, message: t("account.unreachable", { subdomain: result.subdomain }) }, 502);
    }
    case "account.disconnect": {
      const removed = await disconnectZendeskAccount(shopId, actor);
      return removed
        ? formReply({ intent, ok: true, message: t("account.disconnected") })
        : formReply({ intent, ok: false, message: t("account.notConnected") }, 404);
    }
  }
}
