import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { cancelPreview } from "../holds/cancel-preview.server";
import { NOTE_MAX_LENGTH } from "../holds/limits";
import { holdDetail } from "../holds/queue.server";
import {
  addHoldNote,
  assignableReviewers,
  assignHold,
  cancelHeldOrder,
  denyFromHold,
  releaseHold,
  type ReviewActionResult,
} from "../holds/review-actions.server";
import { HOLD_STATUS_BADGES, UNDECIDED_HOLD_STATUSES } from "../holds/status-badges";
import { CustomerHistoryCard, PaymentChecksCard } from "../holds/ui/customer-picture";
import { HoldOrderCard, HoldPaymentCard, useMatchMethod } from "../holds/ui/hold-facts";
import { HoldHistory } from "../holds/ui/hold-history";
import { AssignCard, DecideCard, DenyListCard, HoldNoteCard } from "../holds/ui/review-controls";
import { say, translator } from "../i18n/i18n";
import { formObject, readForm } from "../lib/form";
import { useFormat } from "../ui/format";
import { assertRole, requireStaff } from "../shopify/staff.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const reviewer = await requireStaff(request);
  const hold = await holdDetail(reviewer.shopId, params.id ?? "");
  if (!hold) throw new Response(translator(reviewer.locale, "holds")("detail.notFound"), { status: 404 });
  const [preview, reviewers] = await Promise.all([cancelPreview(reviewer.shopId, hold.paymentId), assignableReviewers(reviewer.shopId)]);
  // Why cancelling goes straight to Checkout.com, in the reviewer's language.
  const cancel = preview?.directWords ? { ...preview, directReason: say(reviewer.locale, preview.directWords) } : preview;
  return { hold, cancel, reviewers, role: reviewer.role };
};

const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());

/** The page's forms, their messages in the staff member's language. */
const actionSchema = (t: TFunction<"holds">) =>
  z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("release") }),
    z.object({ intent: z.literal("cancel"), restock: checkbox, notifyCustomer: checkbox }),
    z.object({ intent: z.literal("deny"), target: z.enum(["customer", "email", "card"], { message: t("detail.chooseDeny") }) }),
    z.object({ intent: z.literal("note"), note: z.string().max(NOTE_MAX_LENGTH, t("detail.noteTooLong", { max: NOTE_MAX_LENGTH })) }),
    // "": nobody.
    z.object({ intent: z.literal("assign"), assignee: z.string().max(64, t("detail.unknownStaff")) }),
  ]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const reviewer = await requireStaff(request, "reviewer");
  const form = formObject(await readForm(request));
  // Cancelling moves money (a refund or void): Finance. Everything else here: Reviewer.
  if (form.intent === "cancel") assertRole(reviewer, "finance");
  const parsed = actionSchema(translator(reviewer.locale, "holds")).safeParse(form);
  if (!parsed.success) return json({ ok: false as const, message: parsed.error.issues[0].message }, { status: 400 });
  const id = params.id ?? "";
  const input = parsed.data;
  let result: ReviewActionResult;
  switch (input.intent) {
    case "release":
      result = await releaseHold(reviewer, id);
      break;
    case "cancel":
      result = await cancelHeldOrder(reviewer, id, { restock: input.restock, notifyCustomer: input.notifyCustomer });
      break;
    case "deny":
      result = await denyFromHold(reviewer, id, input.target);
      break;
    case "note":
      result = await addHoldNote(reviewer, id, input.note);
      break;
    case "assign":
      result = await assignHold(reviewer, id, input.assignee || null);
      break;
  }
  const status = result.ok ? 200 : "notFound" in result && result.notFound ? 404 : 422;
  // The review actions' answers in the reviewer's language; the English `message` stays in the audit log.
  return json({ ok: result.ok, message: result.words ? say(reviewer.locale, result.words) : result.message }, { status });
};

export default function HoldPage() {
  const { t } = useTranslation("holds");
  const { money, locale } = useFormat();
  const matchMethod = useMatchMethod();
  const { hold, cancel, reviewers, role } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const badge = HOLD_STATUS_BADGES[hold.status];
  // Mid-sentence, English writes the method in lower case; German nouns keep their capital.
  const method = hold.match ? matchMethod(hold.match.method) : "";

  return (
    <Page
      backAction={{ content: t("queue.title"), url: "/app/holds" }}
      title={t("detail.title", { order: hold.order.name })}
      titleMetadata={<Badge tone={badge?.tone}>{badge ? t(`status.${hold.status}`) : hold.status}</Badge>}
      subtitle={t("detail.subtitle", {
        amount: money(hold.payment.amount, hold.payment.currency),
        customer: hold.payment.customerName ?? hold.payment.customerEmail ?? t("detail.unknownCustomer"),
      })}
    >
      <Layout>
        {result && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
          </Layout.Section>
        )}
        {hold.match?.needsReview && (
          <Layout.Section>
            <Banner tone="warning" title={t("detail.weakMatchTitle")}>
              <p>{t("detail.weakMatchBody", { method: locale === "de" ? method : method.toLowerCase() })}</p>
            </Banner>
          </Layout.Section>
        )}
        {hold.monitorOnly && (
          <Layout.Section>
            <Banner tone="info" title={t("detail.monitorTitle")}>
              <p>{t("detail.monitorBody")}</p>
            </Banner>
          </Layout.Section>
        )}

        <Layout.Section>
          <HoldHistory hold={hold}>
            <PaymentChecksCard checks={hold.picture.checks} />
            <CustomerHistoryCard picture={hold.picture} />
          </HoldHistory>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <HoldOrderCard hold={hold} />
            <HoldPaymentCard hold={hold} />
            <DecideCard hold={hold} preview={cancel} role={role} />
            <AssignCard assignment={hold.assignment} reviewers={reviewers} role={role} open={UNDECIDED_HOLD_STATUSES.includes(hold.status)} />
            <DenyListCard payment={hold.payment} />
            <HoldNoteCard note={hold.note} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
