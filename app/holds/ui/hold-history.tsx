// The hold page's record: the rules that fired, then what the page puts next (the checks and the
// customer), the payment's timeline and the audit log of this order.
import { BlockStack, DataTable, List, Text } from "@shopify/polaris";
import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import type { HoldView } from "../queue.server";
import { THREE_DS_LABELS } from "../rules";

type Hit = HoldView["hits"][number];

function Table({ headings, rows, empty }: { headings: string[]; rows: string[][]; empty: string }) {
  if (rows.length === 0) {
    return (
      <Text as="p" tone="subdued">
        {empty}
      </Text>
    );
  }
  return <DataTable columnContentTypes={headings.map(() => "text" as const)} headings={headings} rows={rows} />;
}

const isThreeDs = (v: unknown): v is keyof typeof THREE_DS_LABELS => typeof v === "string" && v in THREE_DS_LABELS;

/** "email ada@example.com": whose payments a velocity rule counted, as recorded (English) with the hit. */
function subjectOf(subject: string | null, t: TFunction): string {
  const match = /^(email|card|IP address) (.+)$/.exec(subject ?? "");
  if (!match) return subject ?? "";
  const kind = match[1] === "IP address" ? "ip" : match[1];
  return t(`hit.subject.${kind}`, { value: match[2] });
}

/** One line per hit, in the staff member's words, from the figures recorded with it. */
function describeHit(hit: Hit, t: TFunction, money: (minor: number) => string): string {
  const value = String(hit.value);
  const threshold = String(hit.threshold ?? "");
  switch (hit.rule) {
    case "amount":
      return t("hit.amount", { value: money(Number(hit.value)), threshold: money(Number(hit.threshold)) });
    case "deny_card_fingerprint":
      return t("hit.deny_card_fingerprint", { value: value.slice(0, 12) });
    case "velocity_payments":
    case "velocity_cards":
      return t(`hit.${hit.rule}`, { count: Number(hit.value), subject: subjectOf(hit.subject, t), hours: hit.hours ?? "", threshold });
    case "prior_chargeback":
    case "prior_refund":
      return t(`hit.${hit.rule}`, { count: Number(hit.value) });
    case "three_ds":
      return t("hit.three_ds", { outcome: isThreeDs(hit.value) ? t(`threeDs.${hit.value}`) : value });
    case "early_warning": {
      const kind = value === "fraud_reported" ? "fraud_reported" : "payment_retrieval";
      return hit.threshold ? t(`hit.early_warning.${kind}WithReason`, { reason: threshold }) : t(`hit.early_warning.${kind}`);
    }
    default:
      return t(`hit.${hit.rule}`, { value, threshold });
  }
}

/** What the payment showed (the table's middle column): money as money, known codes in words. */
function shownValue(hit: Hit, t: TFunction, money: (minor: number) => string): string {
  if (hit.rule === "amount") return money(Number(hit.value));
  if (typeof hit.value === "boolean") return hit.value ? t("history.yes") : String(hit.value);
  if (hit.rule === "three_ds" && isThreeDs(hit.value)) return t(`threeDs.${hit.value}`);
  if (hit.rule === "early_warning" && (hit.value === "fraud_reported" || hit.value === "payment_retrieval")) return t(`earlyWarning.${hit.value}`);
  return String(hit.value);
}

export function HoldHistory({ hold, children }: { hold: HoldView; children?: ReactNode }) {
  const { t } = useTranslation("holds");
  const { dateTime: when, money } = useFormat();
  const inPaymentCurrency = (minor: number) => money(minor, hold.payment.currency);
  return (
    <BlockStack gap="400">
      <TitledCard gap="300" title={t("history.rulesFired")}>
        <Table
          headings={[t("history.rule"), t("history.value"), t("history.comparedWith")]}
          rows={hold.hits.map((h) => [
            t(`rule.${h.rule}`),
            shownValue(h, t, inPaymentCurrency),
            h.threshold === null ? "–" : h.rule === "amount" ? inPaymentCurrency(Number(h.threshold)) : String(h.threshold),
          ])}
          empty={t("history.noRule")}
        />
        <List>
          {/* A velocity rule can fire once per email, card and IP address: the rule alone is no key. */}
          {hold.hits.map((h, i) => (
            <List.Item key={`${h.rule}-${i}`}>{describeHit(h, t, inPaymentCurrency)}</List.Item>
          ))}
        </List>
      </TitledCard>
      {children}
      <TitledCard gap="300" title={t("history.timeline")}>
        <Table
          headings={[t("history.when"), t("history.what"), t("history.amount"), t("history.by")]}
          rows={hold.timeline.map((a) => [
            when(a.at),
            a.summary,
            a.amount !== null && a.currency ? money(a.amount, a.currency) : "–",
            a.actor ?? "Checkout.com",
          ])}
          empty={t("history.noActivity")}
        />
      </TitledCard>
      <TitledCard gap="300" title={t("history.audit")}>
        <Table
          headings={[t("history.when"), t("history.who"), t("history.what"), t("history.result")]}
          rows={hold.audit.map((e) => [
            when(e.at),
            e.actor,
            typeof e.details.note === "string" ? `${e.action}: ${e.details.note}` : e.action,
            e.result === "ok"
              ? typeof e.details.message === "string"
                ? e.details.message
                : t("history.done")
              : t("history.failed", { error: e.error ?? t("history.unknownError") }),
          ])}
          empty={t("history.noAudit")}
        />
      </TitledCard>
    </BlockStack>
  );
}
