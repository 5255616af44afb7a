import {
  json,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, Select } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { attachEvidenceFile, removeEvidenceFile, setTicketExcluded, updateEvidenceTexts, type Actor, type DraftResult } from "../disputes/draft.server";
import { planRefusal } from "../billing/billing.server";
import { buildDisputeEvidence } from "../disputes/evidence.server";
import { domainErrorMessage, domainErrorReply } from "../lib/errors.server";
import { EVIDENCE_TYPES, FILE_LIMIT_BYTES, TEXT_FIELDS, type EvidenceType } from "../disputes/model";
import { getDisputeDetail } from "../disputes/queries.server";
import { acceptDispute, saveEvidenceToCheckout, submitDisputeEvidence, type DisputeActionResult } from "../disputes/respond.server";
import { refusalReason, type RefusalReason } from "../disputes/status";
import { DisputeStatusBadge } from "../disputes/ui/badges";
import { AnswerBar, AnswerConfirmations, type ConfirmedIntent } from "../disputes/ui/answer-controls";
import { ConversationTickets } from "../disputes/ui/conversation-tickets";
import { DisputeSide } from "../disputes/ui/dispute-side";
import { ZendeskTicketCard } from "../disputes/ui/zendesk-ticket-card";
import { createDisputeTicketAgain, disputeTicketView } from "../zendesk/dispute-tickets.server";
import { DisputeNotices } from "../disputes/ui/dispute-notices";
import { EvidenceCard, type EvidenceTexts } from "../disputes/ui/evidence-card";
import { disputeWords, useDisputeWords } from "../disputes/ui/labels";
import { sayFieldErrors, textOf } from "../i18n/domain-words";
import { translator } from "../i18n/i18n";
import type { Locale } from "../i18n/locales";
import { formatDateTime } from "../lib/dates";
import { roleAllows } from "../shopify/roles";
import { assertRole, requireStaff } from "../shopify/staff.server";
import { formObject, readForm } from "../lib/form";
import { ShopifyApiError } from "../shopify/admin-api.server";
import { shopTimeZone } from "../shops/shop.server";
import { useFormat } from "../ui/format";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const detail = await getDisputeDetail(staff.shopId, params.id ?? "");
  if (!detail) throw new Response(translator(staff.locale, "disputes")("detail.notFound"), { status: 404 });
  // On a plan without disputes (after a downgrade) the dispute stays visible, read-only.
  const refusal = await planRefusal(staff.shopId, "disputes");
  const zendeskTicket = await disputeTicketView(staff.shopId, detail.dispute.id);
  return { ...detail, zendeskTicket, now: new Date().toISOString(), role: staff.role, planRefused: refusal && domainErrorMessage(refusal, staff.locale) };
};

const INTENTS = [
  "save_draft",
  "save_checkout",
  "submit",
  "accept",
  "attach",
  "remove_file",
  "rebuild",
  "exclude_ticket",
  "include_ticket",
  "zendesk_ticket",
] as const;
const intentSchema = z.object({ intent: z.enum(INTENTS) });
type Reply = { ok: boolean; message: string; fieldErrors?: Record<string, string> };

const ANSWER_STATUS: Record<Extract<DisputeActionResult, { ok: false }>["code"], number> = {
  not_found: 404,
  plan_required: 402,
  closed: 422,
  not_ready: 422,
  not_connected: 422,
  in_progress: 409,
  upstream: 502,
};

/** Form fields, and the attached file for multipart requests (at most 4 MB, cut off while reading). */
async function readDisputeForm(request: Request): Promise<{ form: Record<string, string>; file: File | null }> {
  if (!request.headers.get("Content-Type")?.startsWith("multipart/form-data")) return { form: formObject(await readForm(request)), file: null };
  const parsed = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: FILE_LIMIT_BYTES }));
  const file = parsed.get("file");
  return { form: formObject(parsed), file: file instanceof File ? file : null };
}

const reply = (body: Reply, status: number) => json(body, { status });

type Staff = { shopId: string; locale: Locale };

/** The domain's words in the staff member's language; its English where it has none (Checkout.com's own text). */

/** Why an answered or closed dispute takes no more evidence, with the shop's dates, in the staff member's language. */
async function refusalWords(reason: RefusalReason, staff: Staff): Promise<string> {
  const timeZone = await shopTimeZone(staff.shopId);
  return disputeWords(translator(staff.locale, "disputes"), staff.locale, (at) => formatDateTime(at, timeZone, staff.locale)).refusal(reason);
}

/** A refused draft change: another shop's or a missing dispute 404, bad fields 400, a locked draft 422. */
async function draftRefusal(result: Extract<DraftResult, { ok: false }>, staff: Staff) {
  const message = result.refusal ? await refusalWords(result.refusal, staff) : textOf(staff.locale, result);
  const fieldErrors = result.fieldErrors && sayFieldErrors(staff.locale, result.fieldErrors, result.fieldWords);
  return reply({ ok: false, message, fieldErrors }, result.notFound ? 404 : result.fieldErrors ? 400 : 422);
}

/**
 * A refused answer in the staff member's language where its words are ours; the domain's English
 * otherwise (Checkout.com's errors).
 */
async function answerRefusal(result: Extract<DisputeActionResult, { ok: false }>, staff: Staff): Promise<string> {
  const reason = result.code === "closed" && result.dispute ? refusalReason(result.dispute) : null;
  return reason ? refusalWords(reason, staff) : textOf(staff.locale, result);
}

/** Builds the evidence again from the order and answers `done`, or why it could not. */
async function rebuilt(staff: Staff, disputeId: string, by: Actor, done: string) {
  try {
    await buildDisputeEvidence(staff.shopId, disputeId, by);
    return reply({ ok: true, message: done }, 200);
  } catch (error) {
    if (error instanceof ShopifyApiError)
      return reply({ ok: false, message: translator(staff.locale, "disputes")("actions.shopifyFailed", { error: error.message }) }, 502);
    return domainErrorReply(error, staff.locale);
  }
}

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "reviewer");
  const t = translator(staff.locale, "disputes");
  const by: Actor = { actor: staff.actor, source: "admin" };
  const disputeId = params.id ?? "";
  let input: Awaited<ReturnType<typeof readDisputeForm>>;
  try {
    input = await readDisputeForm(request);
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return reply({ ok: false, message: t("actions.tooLarge") }, 413);
    if (error instanceof Response) throw error;
    return reply({ ok: false, message: t("actions.unreadable") }, 400);
  }
  const parsed = intentSchema.safeParse(input.form);
  if (!parsed.success) return reply({ ok: false, message: t("actions.unknown") }, 400);
  const { intent } = parsed.data;
  // Sending the answer to Checkout.com (submit, accept) is final: Finance. Drafting is a Reviewer's.
  if (intent === "submit" || intent === "accept") assertRole(staff, "finance");

  if (intent === "attach") {
    if (!input.file) return reply({ ok: false, message: t("actions.chooseFile") }, 400);
    const result = await attachEvidenceFile(
      staff.shopId,
      disputeId,
      input.form.field ?? "",
      { name: input.file.name, data: new Uint8Array(await input.file.arrayBuffer()) },
      by,
    );
    return result.ok ? reply({ ok: true, message: t("actions.attached", { name: input.file.name }) }, 200) : draftRefusal(result, staff);
  }
  if (intent === "remove_file") {
    const result = await removeEvidenceFile(staff.shopId, disputeId, input.form.field ?? "", by);
    return result.ok ? reply({ ok: true, message: t("actions.removed") }, 200) : draftRefusal(result, staff);
  }
  if (intent === "exclude_ticket" || intent === "include_ticket") {
    const excluded = intent === "exclude_ticket";
    const result = await setTicketExcluded(staff.shopId, disputeId, input.form.ticketId ?? "", excluded, by);
    if (!result.ok) return draftRefusal(result, staff);
    return rebuilt(staff, disputeId, by, t(excluded ? "actions.ticketExcluded" : "actions.ticketIncluded", { id: input.form.ticketId }));
  }
  if (intent === "rebuild") return rebuilt(staff, disputeId, by, t("actions.rebuilt"));
  if (intent === "zendesk_ticket") {
    try {
      await createDisputeTicketAgain(staff.shopId, disputeId, staff.actor);
      return reply({ ok: true, message: t("actions.zendeskTicketQueued") }, 200);
    } catch (error) {
      return domainErrorReply(error, staff.locale);
    }
  }

  // Texts in the form are saved first, so what is sent is what the merchant sees.
  if (TEXT_FIELDS.some((f) => f in input.form)) {
    const saved = await updateEvidenceTexts(staff.shopId, disputeId, input.form, by);
    if (!saved.ok) return draftRefusal(saved, staff);
  }
  if (intent === "save_draft") return reply({ ok: true, message: t("actions.draftSaved") }, 200);

  const act = { save_checkout: saveEvidenceToCheckout, submit: submitDisputeEvidence, accept: acceptDispute }[intent];
  const result = await act(staff.shopId, disputeId, by);
  if (!result.ok) return reply({ ok: false, message: await answerRefusal(result, staff) }, ANSWER_STATUS[result.code]);
  const done = {
    save_checkout: t("actions.savedToCheckout"),
    submit: result.replayed ? t("actions.alreadySubmitted") : t("actions.submitted"),
    accept: result.replayed ? t("actions.alreadyAccepted") : t("actions.accepted"),
  }[intent];
  return reply({ ok: true, message: done }, 200);
};

export default function DisputePage() {
  const detail = useLoaderData<typeof loader>();
  const { t } = useTranslation("disputes");
  const { money } = useFormat();
  const words = useDisputeWords();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const revalidator = useRevalidator();
  const { dispute, readiness } = detail;
  const editable = readiness.refusal === null && roleAllows(detail.role, "reviewer") && !detail.planRefused;
  const busyIntent = navigation.state !== "idle" ? String(navigation.formData?.get("intent") ?? "") : null;

  const savedTexts = useMemo(() => {
    const texts: EvidenceTexts = Object.fromEntries(detail.evidence.map((e) => [e.textField, e.text]));
    texts.proof_of_delivery_or_service_date_text = detail.deliveryDateText;
    return texts;
  }, [detail]);
  const [texts, setTexts] = useState<EvidenceTexts>(savedTexts);
  const [added, setAdded] = useState<EvidenceType[]>([]);
  const [confirm, setConfirm] = useState<ConfirmedIntent | null>(null);
  // Back to the stored texts only when they changed (a save), not when a refused save revalidates;
  // an answer closes the confirmation. Adjusted while rendering, as React advises, not in an effect.
  const savedKey = JSON.stringify(savedTexts);
  const [shown, setShown] = useState({ savedKey, result });
  if (shown.savedKey !== savedKey || shown.result !== result) {
    setShown({ savedKey, result });
    if (shown.savedKey !== savedKey) setTexts(savedTexts);
    if (shown.result !== result) setConfirm(null);
  }
  const dirty = Object.entries(texts).some(([k, v]) => (savedTexts[k as keyof EvidenceTexts] ?? "") !== (v ?? ""));

  const shownTypes = [...detail.evidence.map((e) => e.type), ...added.filter((type) => !detail.evidence.some((e) => e.type === type))];
  const addable = EVIDENCE_TYPES.filter((type) => !shownTypes.includes(type));

  const send = (intent: (typeof INTENTS)[number], extra: Record<string, string> = {}) => {
    const form = new FormData();
    form.set("intent", intent);
    if (intent === "save_draft" || intent === "save_checkout" || intent === "submit") {
      for (const [field, text] of Object.entries(texts)) form.set(field, text ?? "");
    }
    for (const [k, v] of Object.entries(extra)) form.set(k, v);
    submit(form, { method: "post" });
  };
  const attach = (type: EvidenceType, file: File) => {
    const form = new FormData();
    form.set("intent", "attach");
    form.set("field", `${type}_file`);
    form.set("file", file);
    submit(form, { method: "post", encType: "multipart/form-data" });
  };

  return (
    <Page
      backAction={{ content: t("list.title"), url: "/app/disputes" }}
      title={
        dispute.orderName
          ? t("detail.title.withOrder", { category: words.category(dispute.category), order: dispute.orderName })
          : t("detail.title.withoutOrder", { category: words.category(dispute.category) })
      }
      titleMetadata={<DisputeStatusBadge status={dispute.status} responseState={dispute.responseState} />}
      subtitle={[
        money(dispute.amount, dispute.currency),
        dispute.ckoDisputeId,
        ...(dispute.reasonCode ? [t("detail.reasonCode", { code: dispute.reasonCode })] : []),
      ].join(" · ")}
      secondaryActions={editable ? [{ content: t("detail.rebuild"), onAction: () => setConfirm("rebuild"), disabled: !dispute.orderGid }] : []}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && <Banner tone={result.ok ? "success" : "critical"} title={result.message} />}
            {detail.planRefused && (
              <Banner tone="info" title={t("detail.planBanner.title")} action={{ content: t("detail.planBanner.action"), url: "/app/plan" }}>
                {detail.planRefused}
              </Banner>
            )}
            <DisputeNotices detail={detail} editable={editable} now={detail.now} />
            {shownTypes.map((type) => (
              <EvidenceCard
                key={type}
                type={type}
                item={detail.evidence.find((e) => e.type === type)}
                texts={texts}
                onTexts={setTexts}
                editable={editable}
                fieldErrors={result && !result.ok ? result.fieldErrors : undefined}
                fileUrl={(fileId) => `/app/disputes/${dispute.id}/files/${fileId}`}
                onRemoveFile={() => send("remove_file", { field: `${type}_file` })}
                onAttach={(file) => attach(type, file)}
              />
            ))}
            <ConversationTickets
              tickets={detail.conversation.tickets}
              excludedTickets={detail.conversation.excludedTickets}
              editable={editable}
              busy={busyIntent !== null}
              onExclude={(ticketId) => send("exclude_ticket", { ticketId })}
              onInclude={(ticketId) => send("include_ticket", { ticketId })}
            />
            {editable && addable.length > 0 && (
              <Card>
                <Select
                  label={t("detail.addEvidence.label")}
                  options={[
                    { label: t("detail.addEvidence.placeholder"), value: "" },
                    ...addable.map((type) => ({ label: words.evidence(type), value: type })),
                  ]}
                  value=""
                  onChange={(v) => v && setAdded([...added, v as EvidenceType])}
                />
              </Card>
            )}
            {editable && (
              <AnswerBar
                dirty={dirty}
                canSend={readiness.canSend}
                canAnswer={roleAllows(detail.role, "finance")}
                busyIntent={busyIntent}
                onSend={send}
                onConfirm={setConfirm}
              />
            )}
          </BlockStack>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <DisputeSide detail={detail} now={detail.now} onRefresh={() => revalidator.revalidate()} />
            {detail.zendeskTicket && (
              <ZendeskTicketCard
                ticket={detail.zendeskTicket}
                editable={roleAllows(detail.role, "reviewer")}
                busy={busyIntent === "zendesk_ticket"}
                onCreate={() => send("zendesk_ticket")}
              />
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>

      <AnswerConfirmations
        confirm={confirm}
        busyIntent={busyIntent}
        missing={readiness.missing}
        amount={money(dispute.amount, dispute.currency)}
        onConfirmed={send}
        onClose={() => setConfirm(null)}
      />
    </Page>
  );
}
