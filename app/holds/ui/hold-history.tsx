// The hold page's record: the rules that fired, then what the page puts next (the checks and the
// customer), the payment's timeline and the audit log of this order.
import { BlockStack, DataTable, List, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import type { HoldView } from "../queue.server";

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

export function HoldHistory({ hold, children }: { hold: HoldView; children?: ReactNode }) {
  const { dateTime: when } = useFormat();
  return (
    <BlockStack gap="400">
      <TitledCard gap="300" title="Rules that fired">
        <Table
          headings={["Rule", "Payment's value", "Compared with"]}
          rows={hold.hits.map((h) => [h.label, h.value, h.threshold ?? "–"])}
          empty="No rule fired."
        />
        <List>
          {/* A velocity rule can fire once per email, card and IP address: the rule alone is no key. */}
          {hold.hits.map((h, i) => (
            <List.Item key={`${h.rule}-${i}`}>{h.description}</List.Item>
          ))}
        </List>
      </TitledCard>
      {children}
      <TitledCard gap="300" title="Payment timeline">
        <Table
          headings={["When", "What", "Amount", "By"]}
          rows={hold.timeline.map((a) => [when(a.at), a.summary, a.amount ?? "–", a.actor ?? "Checkout.com"])}
          empty="No activity recorded yet."
        />
      </TitledCard>
      <TitledCard gap="300" title="Audit log">
        <Table
          headings={["When", "Who", "What", "Result"]}
          rows={hold.audit.map((e) => [
            when(e.at),
            e.actor,
            typeof e.details.note === "string" ? `${e.action}: ${e.details.note}` : e.action,
            e.result === "ok" ? (typeof e.details.message === "string" ? e.details.message : "Done") : `Failed: ${e.error ?? "unknown error"}`,
          ])}
          empty="Nothing has been done on this order yet."
        />
      </TitledCard>
    </BlockStack>
  );
}
