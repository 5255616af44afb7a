// The reviewer's controls on a hold: one-click actions (release, deny-list) and cancelling the order,
// which first says what happens to the money and on which path. Buttons disable while any action runs.
import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { roleAllows, type StaffRole } from "../../shopify/roles";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import type { CancelPreview } from "../cancel-preview.server";
import { NOTE_MAX_LENGTH } from "../limits";
import type { HoldView } from "../queue.server";
import { UNDECIDED_HOLD_STATUSES } from "../status-badges";

/** A submit button that shows it is running and disables every action meanwhile (no double clicks). */
function SubmitButton({ intent, children, tone, target }: { intent: string; children: string; tone?: "critical"; target?: string }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === intent && navigation.formData?.get("target") === (target ?? null);
  return (
    <Button submit tone={tone} loading={busy} disabled={navigation.state !== "idle"}>
      {children}
    </Button>
  );
}

function ActionButton({ intent, children, tone, extra }: { intent: string; children: string; tone?: "critical"; extra?: Record<string, string> }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {extra && Object.entries(extra).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      <SubmitButton intent={intent} tone={tone} target={extra?.target}>
        {children}
      </SubmitButton>
    </Form>
  );
}

/** Cancelling: what happens to the money and on which path, restock and notify, then a confirmation. */
function CancelOrder({
  hold,
  preview,
  open,
  setOpen,
}: {
  hold: { order: { name: string } };
  preview: CancelPreview;
  open: boolean;
  setOpen: (open: boolean) => void;
}) {
  const { t } = useTranslation("holds");
  const { money } = useFormat();
  const [restock, setRestock] = useState(true);
  const [notify, setNotify] = useState(false);
  const what = preview?.money ?? "none";
  const amount = preview?.amount != null && preview.currency ? money(preview.amount, preview.currency) : "";
  if (!open) {
    return (
      <Button tone="critical" onClick={() => setOpen(true)} disabled={Boolean(preview?.error)}>
        {t("review.cancelOrder")}
      </Button>
    );
  }
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="cancel" />
      <BlockStack gap="200">
        {preview?.error && <Banner tone="critical" title={t("review.previewError", { error: preview.error })} />}
        <Text as="p">{t(`review.${preview?.via === "shopify" ? "viaShopify" : "direct"}.${what}`, { order: hold.order.name, amount })}</Text>
        {preview?.directReason && (
          <Text as="p" tone="subdued">
            {preview.directReason}
          </Text>
        )}
        <Checkbox label={t("review.restock")} name="restock" value="true" checked={restock} onChange={setRestock} />
        <Checkbox label={t("review.notify")} name="notifyCustomer" value="true" checked={notify} onChange={setNotify} />
        <Text as="p" tone="critical">
          {t("review.cannotUndo")}
        </Text>
        <InlineStack gap="200">
          <SubmitButton intent="cancel" tone="critical">
            {t(`review.confirm.${preview?.money ?? "close"}`)}
          </SubmitButton>
          <Button onClick={() => setOpen(false)}>{t("review.keep")}</Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

/** Release (or dismiss a monitor-only decision) for a Reviewer; cancel the order for Finance. */
export function DecideCard({ hold, preview, role }: { hold: Pick<HoldView, "status" | "monitorOnly" | "order">; preview: CancelPreview; role: StaffRole }) {
  const { t } = useTranslation("holds");
  const [confirmCancel, setConfirmCancel] = useState(false);
  const canReview = roleAllows(role, "reviewer");
  const open = UNDECIDED_HOLD_STATUSES.includes(hold.status);
  return (
    <TitledCard title={t("review.decide")} gap="300">
      {hold.status === "released" && (
        <Text as="p" tone="subdued">
          {t("review.releasedNote")}
        </Text>
      )}
      {!canReview && (
        <Text as="p" tone="subdued">
          {t("review.roleNote")}
        </Text>
      )}
      {open && canReview && <ActionButton intent="release">{hold.monitorOnly ? t("review.dismiss") : t("review.release")}</ActionButton>}
      {hold.status !== "released" && roleAllows(role, "finance") && (
        <CancelOrder hold={hold} preview={preview} open={confirmCancel} setOpen={setConfirmCancel} />
      )}
    </TitledCard>
  );
}

/** Deny-list what the payment carries: its email always, its Checkout.com customer and card when known. */
export function DenyListCard({ payment }: { payment: Pick<HoldView["payment"], "ckoCustomerId" | "hasCardFingerprint"> }) {
  const { t } = useTranslation("holds");
  return (
    <TitledCard title={t("review.denyList")} gap="300">
      <ActionButton intent="deny" extra={{ target: "email" }}>
        {t("review.denyEmail")}
      </ActionButton>
      {payment.ckoCustomerId && (
        <ActionButton intent="deny" extra={{ target: "customer" }}>
          {t("review.denyCustomer")}
        </ActionButton>
      )}
      {payment.hasCardFingerprint && (
        <ActionButton intent="deny" extra={{ target: "card" }}>
          {t("review.denyCard")}
        </ActionButton>
      )}
    </TitledCard>
  );
}

/** Who works this hold: any Reviewer or above of the shop, or nobody. Shown to all; changed by Reviewers. */
export function AssignCard({
  assignment,
  reviewers,
  role,
  open,
}: {
  assignment: { userId: string | null; name: string | null; by: string | null; at: string | null };
  reviewers: Array<{ userId: string; name: string }>;
  role: StaffRole;
  open: boolean;
}) {
  const { t } = useTranslation("holds");
  const [assignee, setAssignee] = useState(assignment.userId ?? "");
  const { dateTime } = useFormat();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "assign";
  return (
    <TitledCard title={t("review.assignedTo")} gap="300">
      <Text as="p" tone={assignment.name ? undefined : "subdued"}>
        {assignment.name
          ? assignment.by && assignment.at
            ? t("review.assignedBy", { name: assignment.name, by: assignment.by, at: dateTime(assignment.at) })
            : assignment.name
          : t("review.nobodyYet")}
      </Text>
      {open && roleAllows(role, "reviewer") && (
        <Form method="post">
          <input type="hidden" name="intent" value="assign" />
          <BlockStack gap="200">
            <Select
              label={t("review.reviewer")}
              name="assignee"
              options={[{ label: t("review.nobody"), value: "" }, ...reviewers.map((r) => ({ label: r.name, value: r.userId }))]}
              value={assignee}
              onChange={setAssignee}
            />
            <Button submit loading={busy} disabled={navigation.state !== "idle"}>
              {t("review.assign")}
            </Button>
          </BlockStack>
        </Form>
      )}
    </TitledCard>
  );
}

export function HoldNoteCard({ note: saved }: { note: string | null }) {
  const { t } = useTranslation("holds");
  const navigation = useNavigation();
  const [note, setNote] = useState(saved ?? "");
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="note" />
        <BlockStack gap="200">
          <TextField label={t("review.note")} name="note" value={note} onChange={setNote} multiline={3} maxLength={NOTE_MAX_LENGTH} autoComplete="off" />
          <Button submit loading={navigation.state !== "idle" && navigation.formData?.get("intent") === "note"}>
            {t("review.saveNote")}
          </Button>
        </BlockStack>
      </Form>
    </Card>
  );
}
