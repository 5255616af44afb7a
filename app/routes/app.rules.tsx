import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { sayFieldErrors } from "../i18n/domain-words";
import { translator } from "../i18n/i18n";
import { requireStaff } from "../shopify/staff.server";
import type { ListKind } from "../holds/rules";
import { ListEntriesCard, ListEntryForm } from "../holds/ui/list-entries";
import { RulesForm } from "../holds/ui/rules-form";
import { minorToDecimal } from "../lib/money";
import { addListEntry, loadRiskSettings, removeListEntry, saveRiskRules } from "../holds/rules-settings.server";
import { formObject, readForm } from "../lib/form";
import { formReply } from "../ui/form-reply.server";

/** Currency code -> minor units, as the form shows it: one "USD 1000.00" per line. */
const amountsText = (amounts: Record<string, number>) =>
  Object.entries(amounts)
    .map(([currency, minor]) => `${currency} ${minorToDecimal(minor, currency)}`)
    .join("\n");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const reviewer = await requireStaff(request);
  const { rules, entries, matchWindowMinutes } = await loadRiskSettings(reviewer.shopId);
  return {
    rules: {
      ...rules,
      amountThresholdsText: amountsText(rules.amountThresholds),
      earlyWarningRefundUpToText: amountsText(rules.earlyWarningRefundUpTo),
    },
    matchWindowMinutes,
    entries: entries.map((e) => ({ id: e.id, list: e.list, kind: e.kind as ListKind, value: e.value, note: e.note, createdBy: e.createdBy })),
  };
};

/** A refused form's field errors in the staff member's language: a field's words where the domain gave them, else its English. */
const intentSchema = z.object({ intent: z.enum(["rules", "add-entry", "remove-entry"]) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const reviewer = await requireStaff(request, "admin");
  const t = translator(reviewer.locale, "rules");
  const form = formObject(await readForm(request));
  const intent = intentSchema.safeParse(form);
  if (!intent.success) return formReply({ intent: null, ok: false, message: t("replies.unknownAction") });
  // The field errors are rules-settings.server.ts's, said in the staff member's language; the banners' messages are said here.
  switch (intent.data.intent) {
    case "rules": {
      const result = await saveRiskRules(reviewer.shopId, form, reviewer.actor);
      return result.ok
        ? formReply({ intent: "rules", ok: true, message: t("replies.saved") })
        : formReply({
            intent: "rules",
            ok: false,
            message: t("replies.invalid"),
            fieldErrors: sayFieldErrors(reviewer.locale, result.fieldErrors, result.fieldWords),
          });
    }
    case "add-entry": {
      const result = await addListEntry(reviewer.shopId, form, reviewer.actor);
      if (!result.ok)
        return formReply({
          intent: "add-entry",
          ok: false,
          message: t("replies.entryInvalid"),
          fieldErrors: sayFieldErrors(reviewer.locale, result.fieldErrors, result.fieldWords),
        });
      return formReply({ intent: "add-entry", ok: true, message: result.created ? t("replies.added") : t("replies.alreadyListed") });
    }
    case "remove-entry": {
      const removed = await removeListEntry(reviewer.shopId, String(form.id ?? ""), reviewer.actor);
      return removed
        ? formReply({ intent: "remove-entry", ok: true, message: t("replies.removed") })
        : formReply({ intent: "remove-entry", ok: false, message: t("replies.entryNotFound") }, 404);
    }
  }
};

export default function RiskRulesPage() {
  const { t } = useTranslation("rules");
  const { rules, matchWindowMinutes, entries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;

  return (
    <Page title={t("page.title")} subtitle={t("page.subtitle")}>
      <Layout>
        <Layout.AnnotatedSection id="rules" title={t("sections.rules.title")} description={t("sections.rules.description")}>
          <RulesForm rules={rules} matchWindowMinutes={matchWindowMinutes} reply={result} busy={busy === "rules"} />
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection id="lists" title={t("sections.lists.title")} description={t("sections.lists.description")}>
          <BlockStack gap="400">
            <ListEntryForm reply={result} busy={busy === "add-entry"} />
            <ListEntriesCard entries={entries} reply={result} />
          </BlockStack>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
