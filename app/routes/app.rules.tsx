import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, DataTable, FormLayout, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { requireStaff } from "../shopify/staff.server";
import { LIST_KIND_LABELS, LIST_KINDS, type ListKind } from "../holds/rules";
import { minorToDecimal } from "../lib/money";
import { addListEntry, loadRiskSettings, removeListEntry, saveRiskRules } from "../holds/rules-settings.server";
import { formObject, readForm } from "../lib/form";
import { IntentForm, ReplyBanner } from "../ui/form-page";
import { formReply } from "../ui/form-reply.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const reviewer = await requireStaff(request);
  const { rules, entries, matchWindowMinutes } = await loadRiskSettings(reviewer.shopId);
  return {
    rules: {
      ...rules,
      amountThresholdsText: Object.entries(rules.amountThresholds)
        .map(([currency, minor]) => `${currency} ${minorToDecimal(minor, currency)}`)
        .join("\n"),
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

function Toggle({ name, label, helpText, initial }: { name: string; label: string; helpText?: string; initial: boolean }) {
  const [checked, setChecked] = useState(initial);
  return (
    <>
      <input type="hidden" name={name} value={checked ? "true" : "false"} />
      <Checkbox label={label} helpText={helpText} checked={checked} onChange={setChecked} />
    </>
  );
}

export default function RiskRulesPage() {
  const { rules, matchWindowMinutes, entries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;
  const errors = result?.fieldErrors ?? {};
  const [score, setScore] = useState(rules.scoreThreshold === null ? "" : String(rules.scoreThreshold));
  const [amounts, setAmounts] = useState(rules.amountThresholdsText);
  const [windowMinutes, setWindowMinutes] = useState(String(matchWindowMinutes));
  const [list, setList] = useState("deny");
  const [kind, setKind] = useState<string>("email");
  const [value, setValue] = useState("");
  const [note, setNote] = useState("");

  return (
    <Page title="Risk rules" subtitle="When to hold an order's fulfillment for review">
      <Layout>
        <Layout.AnnotatedSection
          id="rules"
          title="Rules"
          description="An order is held when any rule fires, unless the payment's email, card, BIN or customer is on the allow list."
        >
          <Card>
            <IntentForm intent="rules" reply={result}>
              <Toggle name="enabled" label="Apply risk rules" initial={rules.enabled} />
              <Toggle
                name="monitorOnly"
                label="Monitor only"
                helpText="Record which orders would have been held, without holding them in Shopify."
                initial={rules.monitorOnly}
              />
              <Toggle name="holdOnFlagged" label="Hold payments Checkout.com flagged as risky" initial={rules.holdOnFlagged} />
              <TextField
                label="Hold when the risk score is at least"
                name="scoreThreshold"
                type="number"
                min={0}
                max={100}
                value={score}
                onChange={setScore}
                autoComplete="off"
                helpText="Checkout.com scores from 0 to 100. Leave empty to turn this rule off."
                error={errors.scoreThreshold}
              />
              <TextField
                label="Hold when the amount is at least"
                name="amountThresholds"
                value={amounts}
                onChange={setAmounts}
                multiline={3}
                autoComplete="off"
                helpText='One currency per line, like "USD 1000.00". Payments in other currencies are not checked.'
                error={errors.amountThresholds}
              />
              <Toggle name="holdOnCountryMismatch" label="Hold when the billing and shipping countries differ" initial={rules.holdOnCountryMismatch} />
              <Toggle
                name="holdOnCardCountryMismatch"
                label="Hold when the card's issuing country differs from the shipping country"
                initial={rules.holdOnCardCountryMismatch}
              />
              <Toggle
                name="holdOnIpCountryMismatch"
                label="Hold when the IP address's country differs from the shipping country"
                helpText="Checkout.com reports the payment's IP address but not its country, so this rule fires only for payments whose metadata carries ip_country (for example from your CDN's geolocation header). Without it the rule cannot fire."
                initial={rules.holdOnIpCountryMismatch}
              />
              <TextField
                label="Keep looking for a payment's order for (minutes)"
                name="matchWindowMinutes"
                type="number"
                min={5}
                max={10080}
                value={windowMinutes}
                onChange={setWindowMinutes}
                autoComplete="off"
                helpText="A payment can be approved before Shopify creates its order; the app retries with backoff for this long."
                error={errors.matchWindowMinutes}
              />
              <Button submit variant="primary" loading={busy === "rules"}>
                Save rules
              </Button>
            </IntentForm>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="lists"
          title="Allow and deny lists"
          description="Deny-listed values always hold the order. Allow-listed values are never held, even when other rules fire."
        >
          <BlockStack gap="400">
            <Card>
              <IntentForm intent="add-entry" reply={result}>
                <FormLayout.Group>
                  <Select
                    label="List"
                    name="list"
                    options={[
                      { label: "Deny list", value: "deny" },
                      { label: "Allow list", value: "allow" },
                    ]}
                    value={list}
                    onChange={setList}
                    error={errors.list}
                  />
                  <Select
                    label="Kind"
                    name="kind"
                    options={LIST_KINDS.map((k) => ({ label: LIST_KIND_LABELS[k], value: k }))}
                    value={kind}
                    onChange={setKind}
                    error={errors.kind}
                  />
                </FormLayout.Group>
                <TextField label="Value" name="value" value={value} onChange={setValue} autoComplete="off" error={errors.value} />
                <TextField label="Note (optional)" name="note" value={note} onChange={setNote} autoComplete="off" error={errors.note} />
                <Button submit loading={busy === "add-entry"}>
                  Add to list
                </Button>
              </IntentForm>
            </Card>
            <Card>
              {result?.intent === "remove-entry" && <ReplyBanner reply={result} />}
              {entries.length === 0 ? (
                <Text as="p" tone="subdued">
                  No entries yet.
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "text"]}
                  headings={["List", "Kind", "Value", "Note", ""]}
                  rows={entries.map((e) => [
                    e.list === "deny" ? "Deny" : "Allow",
                    LIST_KIND_LABELS[e.kind],
                    e.value,
                    e.note ?? "",
                    <Form method="post" key={e.id}>
                      <input type="hidden" name="intent" value="remove-entry" />
                      <input type="hidden" name="id" value={e.id} />
                      <Button submit variant="plain" tone="critical" accessibilityLabel={`Remove ${e.value} from the ${e.list} list`}>
                        Remove
                      </Button>
                    </Form>,
                  ])}
                />
              )}
            </Card>
          </BlockStack>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
