// Reconciliation: where Checkout.com and the Shopify orders disagree about a payment's money (the daily
// check, app/reconciliation), summed per kind and currency, filtered by status and kind, newest first;
// Finance dismisses a difference that needs no correction (with a reason) or reopens it.
import type { ActionFunctionArgs, LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  IndexTable,
  InlineGrid,
  Layout,
  Link as PolarisLink,
  Modal,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { planRefusal } from "../billing/billing.server";
import { sayFieldErrors } from "../i18n/domain-words";
import { sayServiceMessage, translator } from "../i18n/i18n";
import { domainErrorMessage, domainErrorReply } from "../lib/errors.server";
import { formObject, readForm } from "../lib/form";
import { MISMATCH_KINDS } from "../reconciliation/compare";
import { FIXABLE_KINDS, fixReconciliationIssue } from "../reconciliation/fixes.server";
import {
  dismissReconciliationIssue,
  ISSUE_STATUSES,
  listReconciliationIssues,
  RECONCILIATION_DECIDER,
  reconciliationSummary,
  reopenReconciliationIssue,
  type IssueView,
} from "../reconciliation/issues.server";
import { ReconciliationPlanGate } from "../reconciliation/ui/plan-gate";
import { CurrencyValues, KindExplanation, LastSweep, useKindWords } from "../reconciliation/ui/summary";
import { orderAdminUrl, orderLegacyId } from "../shopify/admin-urls";
import { roleAllows } from "../shopify/roles";
import { requireStaff } from "../shopify/staff.server";
import { DownloadButton } from "../ui/download-button";
import { useFormat } from "../ui/format";
import { formReply } from "../ui/form-reply.server";
import { CursorLinks, ListFilters, ListTable } from "../ui/list-page";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  // On a plan without reconciliation the screen says so instead; nothing recorded before is deleted.
  const refusal = await planRefusal(staff.shopId, "reconciliation");
  if (refusal) return { planRefused: domainErrorMessage(refusal, staff.locale) };
  const [page, summary] = await Promise.all([
    listReconciliationIssues(staff.shopId, Object.fromEntries(new URL(request.url).searchParams)),
    reconciliationSummary(staff.shopId),
  ]);
  return {
    planRefused: null,
    ...page,
    summary,
    statuses: ISSUE_STATUSES,
    fixes: FIXABLE_KINDS,
    canDecide: roleAllows(staff.role, RECONCILIATION_DECIDER),
  };
};

const formSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("dismiss"), issueId: z.string().uuid(), reason: z.string().optional() }),
  z.object({ intent: z.literal("reopen"), issueId: z.string().uuid() }),
  z.object({ intent: z.literal("fix"), issueId: z.string().uuid() }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, RECONCILIATION_DECIDER);
  const refusal = await planRefusal(staff.shopId, "reconciliation");
  if (refusal) return domainErrorReply(refusal, staff.locale);
  const t = translator(staff.locale, "reconciliation");
  const parsed = formSchema.safeParse(formObject(await readForm(request)));
  if (!parsed.success) return formReply({ intent: null, ok: false, message: t("replies.unknownForm") });
  const input = parsed.data;
  try {
    if (input.intent === "fix") {
      const result = await fixReconciliationIssue(staff, input.issueId);
      const message = result.ok ? t(`replies.fixed.${result.action.kind}`, { order: result.action.orderName ?? "" }) : sayServiceMessage(staff.locale, result);
      return formReply({ intent: input.intent, ok: result.ok, message });
    }
    if (input.intent === "reopen") {
      await reopenReconciliationIssue(staff, input.issueId);
      return formReply({ intent: input.intent, ok: true, message: t("replies.reopened") });
    }
    const result = await dismissReconciliationIssue(staff, input.issueId, input.reason);
    if (!result.ok)
      return formReply({
        intent: input.intent,
        issueId: input.issueId,
        ok: false,
        message: t("replies.fixReason"),
        fieldErrors: sayFieldErrors(staff.locale, result.fieldErrors, result.fieldWords),
      });
    return formReply({ intent: input.intent, ok: true, message: t("replies.dismissed") });
  } catch (error) {
    return domainErrorReply(error, staff.locale);
  }
};

const STATUS_TONES = { open: "warning", dismissed: undefined, resolved: "success" } as const;
/** Long words wrap in their cell (table cells do not by default), so the row's actions stay in view. */
const WRAPPING = { whiteSpace: "normal", minWidth: 140, maxWidth: 200 } as const;

/** The dismissal's reason, asked before the difference is set aside. */
function DismissModal({ issue, onClose }: { issue: IssueView | null; onClose: () => void }) {
  const { t } = useTranslation("reconciliation");
  const kindWords = useKindWords();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  // Each issue's modal starts empty: the page keys it by the issue.
  const [reason, setReason] = useState("");
  const error = reply && "issueId" in reply && reply.issueId === issue?.id ? reply.fieldErrors?.reason : undefined;
  const send = () => issue && submit({ intent: "dismiss", issueId: issue.id, reason }, { method: "post" });
  return (
    <Modal
      open={issue !== null}
      onClose={onClose}
      title={t("dismiss.title", { order: issue?.orderName ?? (issue ? orderLegacyId(issue.orderGid) : "") })}
      primaryAction={{
        content: t("dismiss.confirm"),
        onAction: send,
        disabled: !reason.trim(),
        loading: navigation.state !== "idle" && navigation.formData?.get("intent") === "dismiss",
      }}
      secondaryActions={[{ content: t("ui:modal.cancel"), onAction: onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          {issue && <Text as="p">{kindWords(issue.kind)}</Text>}
          <TextField
            label={t("dismiss.reason")}
            helpText={t("dismiss.reasonHelp")}
            value={reason}
            onChange={setReason}
            multiline={3}
            maxLength={500}
            requiredIndicator
            autoComplete="off"
            error={error}
          />
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

export default function ReconciliationPage() {
  const { t } = useTranslation("reconciliation");
  const data = useLoaderData<typeof loader>();
  return data.planRefused === null ? <Reconciliation data={data} /> : <ReconciliationPlanGate title={t("page.title")} refusal={data.planRefused} />;
}

function Reconciliation({ data }: { data: Extract<SerializeFrom<typeof loader>, { planRefused: null }> }) {
  const { t } = useTranslation("reconciliation");
  const { money, date, dateTime } = useFormat();
  const kindWords = useKindWords();
  const { issues, filters, previous, next, summary, statuses, fixes, canDecide } = data;
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [status, setStatus] = useState<string>(filters.status);
  const [kind, setKind] = useState<string>(filters.kind ?? "");
  const [dismissing, setDismissing] = useState<IssueView | null>(null);
  // The modal stays open only to show its reason's error; any other answer closes it.
  const [answered, setAnswered] = useState(reply);
  if (reply !== answered) {
    setAnswered(reply);
    if (reply && !("issueId" in reply)) setDismissing(null);
  }
  const amount = (minor: number | null, currency: string) => (minor === null ? "–" : money(minor, currency));
  const agree = filters.status === "open" && !filters.kind;
  const fixing = navigation.state !== "idle" && navigation.formData?.get("intent") === "fix" ? String(navigation.formData.get("issueId")) : null;

  return (
    <Page
      title={t("page.title")}
      subtitle={t("page.subtitle")}
      primaryAction={
        <DownloadButton
          url="/app/reconciliation/csv"
          filename={`reconciliation-${new Date().toISOString().slice(0, 10)}.csv`}
          label={t("page.export")}
          disabled={summary.open === 0}
        />
      }
    >
      <Layout>
        <Layout.Section>
          <LastSweep sweep={summary.lastSweep} />
        </Layout.Section>
        {reply && (!("issueId" in reply) || !dismissing) && (
          <Layout.Section>
            <Banner tone={reply.ok ? "success" : "critical"} title={reply.message} />
          </Layout.Section>
        )}
        {summary.byKind.length > 0 && (
          <Layout.Section>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
              {summary.byKind.map((group) => (
                <Card key={group.kind}>
                  <BlockStack gap="200">
                    <Link to={`?status=open&kind=${group.kind}`}>
                      <Text as="h2" variant="headingSm">
                        {kindWords(group.kind)}
                      </Text>
                    </Link>
                    <Text as="p" tone="subdued">
                      {t("summary.open", { count: group.count })}
                    </Text>
                    <CurrencyValues values={group.values} />
                    <KindExplanation kind={group.kind} />
                  </BlockStack>
                </Card>
              ))}
            </InlineGrid>
          </Layout.Section>
        )}
        <ListFilters>
          <Select
            label={t("filters.status")}
            name="status"
            options={statuses.map((value) => ({ value, label: t(`status.${value}`) }))}
            value={status}
            onChange={setStatus}
          />
          <Select
            label={t("filters.kind")}
            name="kind"
            options={[{ value: "", label: t("filters.everyKind") }, ...MISMATCH_KINDS.map((value) => ({ value, label: kindWords(value) }))]}
            value={kind}
            onChange={setKind}
          />
        </ListFilters>
        <ListTable
          empty={agree ? { heading: t("agree.heading"), body: t("agree.body") } : { heading: t("empty.heading"), body: t("empty.body") }}
          resourceName={{ singular: t("table.issue"), plural: t("table.issues") }}
          itemCount={issues.length}
          loading={navigation.state !== "idle" && navigation.formData?.get("intent") === "reopen"}
          headings={[
            { title: t("table.orderAndPayment") },
            { title: t("table.whatDiffers") },
            { title: t("table.checkoutAmount"), alignment: "end" },
            { title: t("table.shopifyAmount"), alignment: "end" },
            { title: t("table.atStake"), alignment: "end" },
            { title: t("table.status") },
            { title: t("table.actions") },
          ]}
        >
          {issues.map((issue, position) => (
            <IndexTable.Row id={issue.id} key={issue.id} position={position}>
              <IndexTable.Cell>
                <BlockStack gap="100">
                  <PolarisLink url={orderAdminUrl(issue.orderGid)} target="_top">
                    {issue.orderName ?? orderLegacyId(issue.orderGid)}
                  </PolarisLink>
                  {issue.paymentId && (
                    <Text as="span" variant="bodySm">
                      <Link to={`/app/payments/${issue.paymentId}`}>{issue.ckoPaymentId}</Link>
                    </Text>
                  )}
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <div style={WRAPPING}>{kindWords(issue.kind)}</div>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {amount(issue.checkoutAmount, issue.currency)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {amount(issue.shopifyAmount, issue.currency)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric fontWeight="semibold">
                  {money(issue.amount, issue.currency)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <div style={WRAPPING}>
                  <BlockStack gap="100">
                    <span>
                      <Badge tone={STATUS_TONES[issue.status as keyof typeof STATUS_TONES]}>
                        {issue.status in STATUS_TONES ? t(`status.${issue.status}`) : issue.status}
                      </Badge>
                    </span>
                    <Text as="span" tone="subdued">
                      {t("table.firstSeenOn", { date: date(issue.firstSeenAt) })}
                    </Text>
                    {issue.status === "dismissed" && (
                      <>
                        <Text as="span" tone="subdued">
                          {t("table.dismissedBy", { by: issue.dismissedBy ?? "–", date: issue.dismissedAt ? dateTime(issue.dismissedAt) : "–" })}
                        </Text>
                        <Text as="span">{t("table.reason", { reason: issue.dismissReason ?? "" })}</Text>
                      </>
                    )}
                    {issue.status === "resolved" && issue.resolvedAt && (
                      <Text as="span" tone="subdued">
                        {t("table.resolvedOn", { date: dateTime(issue.resolvedAt) })}
                      </Text>
                    )}
                  </BlockStack>
                </div>
              </IndexTable.Cell>
              <IndexTable.Cell>
                {canDecide && issue.status === "open" && (
                  <BlockStack gap="200" inlineAlign="start">
                    {issue.paymentId && issue.kind in fixes && (
                      <Button
                        variant="primary"
                        loading={fixing === issue.id}
                        disabled={fixing !== null}
                        onClick={() => submit({ intent: "fix", issueId: issue.id }, { method: "post" })}
                      >
                        {t(`table.fix.${fixes[issue.kind as keyof typeof fixes]}`)}
                      </Button>
                    )}
                    {!issue.paymentId && (
                      <Button url={orderAdminUrl(issue.orderGid)} target="_top">
                        {t("table.openOrder")}
                      </Button>
                    )}
                    <Button onClick={() => setDismissing(issue)}>{t("table.dismiss")}</Button>
                  </BlockStack>
                )}
                {canDecide && issue.status === "dismissed" && (
                  <Button onClick={() => submit({ intent: "reopen", issueId: issue.id }, { method: "post" })}>{t("table.reopen")}</Button>
                )}
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </ListTable>
        <CursorLinks previous={previous} next={next} />
      </Layout>
      <DismissModal key={dismissing?.id ?? ""} issue={dismissing} onClose={() => setDismissing(null)} />
    </Page>
  );
}
