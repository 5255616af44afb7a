import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { z } from "zod";
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

const intentSchema = z.object({ intent: z.enum(["rules", "add-entry", "remove-entry"], { message: "Unknown action." }) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const reviewer = await requireStaff(request, "admin");
  const form = formObject(await readForm(request));
  const intent = intentSchema.safeParse(form);
  if (!intent.success) return formReply({ intent: null, ok: false, message: intent.error.issues[0].message });
  switch (intent.data.intent) {
    case "rules": {
      const result = await saveRiskRules(reviewer.shopId, form, reviewer.actor);
      return result.ok
        ? formReply({ intent: "rules", ok: true, message: "Rules saved." })
        : formReply({ intent: "rules", ok: false, message: "Fix the highlighted fields. Nothing was saved.", fieldErrors: result.fieldErrors });
    }
    case "add-entry": {
      const result = await addListEntry(reviewer.shopId, form, reviewer.actor);
      if (!result.ok) return formReply({ intent: "add-entry", ok: false, message: "Fix the highlighted fields.", fieldErrors: result.fieldErrors });
      return formReply({ intent: "add-entry", ok: true, message: result.created ? "Added." : "That value was already listed." });
    }
    case "remove-entry": {
      const removed = await removeListEntry(reviewer.shopId, String(form.id ?? ""), reviewer.actor);
      return removed
        ? formReply({ intent: "remove-entry", ok: true, message: "Removed." })
        : formReply({ intent: "remove-entry", ok: false, message: "That entry does not exist in this shop." }, 404);
    }
  }
};

export default function RiskRulesPage() {
  const { rules, matchWindowMinutes, entries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;

  return (
    <Page title="Risk rules" subtitle="When to hold an order's fulfillment for review">
      <Layout>
        <Layout.AnnotatedSection
          id="rules"
          title="Rules"
          description="An order is held when any rule fires, unless the payment's email, card, BIN or customer is on the allow list."
        >
          <RulesForm rules={rules} matchWindowMinutes={matchWindowMinutes} reply={result} busy={busy === "rules"} />
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="lists"
          title="Allow and deny lists"
          description="Deny-listed values always hold the order. Allow-listed values are never held, even when other rules fire."
        >
          <BlockStack gap="400">
            <ListEntryForm reply={result} busy={busy === "add-entry"} />
            <ListEntriesCard entries={entries} reply={result} />
          </BlockStack>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
