// The review queue's table: one row per hold, with its order's age against the ship-by time and its
// assignee, and the bulk actions. Release and cancel first confirm how many orders and how much money
// they touch (per currency); the server acts only on holds still undecided and says which it left alone.
import { Link, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, IndexTable, InlineStack, Text, useIndexResourceState } from "@shopify/polaris";
import { useState } from "react";
import { formatTotals } from "../../lib/money";
import { roleAllows, type StaffRole } from "../../shopify/roles";
import { ConfirmModal } from "../../ui/confirm-modal";
import { ListTable } from "../../ui/list-page";
import { useFormat } from "../../ui/format";
import type { listHolds } from "../queue.server";
import type { RuleId } from "../rules";
import { HOLD_STATUS_BADGES } from "../status-badges";

type QueueRow = Awaited<ReturnType<typeof listHolds>>["holds"][number];

const SHIP_BY_BADGES = {
  due_soon: { tone: "warning", label: "Ship-by soon" },
  overdue: { tone: "critical", label: "Past ship-by" },
} as const;

type Confirmable = "release" | "cancel";

/** What the confirmation says: how many orders, their total per currency, and what happens to them. */
function confirmation(intent: Confirmable, rows: QueueRow[]) {
  const orders = `${rows.length} order${rows.length === 1 ? "" : "s"}`;
  const value = formatTotals(rows.map((r) => ({ minor: r.amountMinor, currency: r.currency })));
  return intent === "release"
    ? {
        title: `Release ${rows.length} hold${rows.length === 1 ? "" : "s"}?`,
        confirm: "Release",
        paragraphs: [
          `${orders} worth ${value} can then be fulfilled. Each release removes our fulfillment hold and tag and records a low risk assessment naming you.`,
          "Holds someone decided since this list was loaded are left alone, and the result says which.",
        ],
      }
    : {
        title: `Cancel ${orders}?`,
        confirm: `Cancel ${orders}`,
        paragraphs: [
          `${orders} worth ${value} will be canceled in Shopify as fraud, with what has not shipped restocked and no email to the customers. Captured payments are refunded, authorised ones voided, once each.`,
          "This cannot be undone. Holds someone decided since this list was loaded are left alone, and the result says which.",
        ],
      };
}

export function HoldQueueTable({ holds, ruleLabels, role }: { holds: QueueRow[]; ruleLabels: Record<RuleId, string>; role: StaffRole }) {
  const { dateTime } = useFormat();
  const navigation = useNavigation();
  const submit = useSubmit();
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(holds);
  const [confirming, setConfirming] = useState<Confirmable | null>(null);
  const busy = navigation.state !== "idle" && navigation.formData?.has("holdId") === true;
  const selected = holds.filter((h) => selectedResources.includes(h.id));

  const send = (intent: string, extra: Record<string, string> = {}) => {
    const form = new FormData();
    form.set("intent", intent);
    for (const [k, v] of Object.entries(extra)) form.set(k, v);
    for (const id of selectedResources) form.append("holdId", id);
    submit(form, { method: "post" });
    clearSelection();
    setConfirming(null);
  };
  const canDecide = roleAllows(role, "reviewer");
  const prompt = confirming ? confirmation(confirming, selected) : null;

  return (
    <>
      <ListTable
        empty={{ heading: "No holds here", body: "Orders the risk rules hold appear here. Change the filters to see released or canceled ones." }}
        selectable={canDecide}
        resourceName={{ singular: "hold", plural: "holds" }}
        itemCount={holds.length}
        selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
        onSelectionChange={handleSelectionChange}
        loading={busy}
        promotedBulkActions={[
          { content: "Release…", onAction: () => setConfirming("release") },
          ...(roleAllows(role, "finance") ? [{ content: "Cancel orders…", onAction: () => setConfirming("cancel") }] : []),
        ]}
        bulkActions={[
          { content: "Assign to me", onAction: () => send("assign", { assignee: "me" }) },
          { content: "Unassign", onAction: () => send("assign", { assignee: "nobody" }) },
        ]}
        headings={[
          { title: "Order" },
          { title: "Customer" },
          { title: "Amount", alignment: "end" },
          { title: "Rules" },
          { title: "Risk score", alignment: "end" },
          { title: "Match" },
          { title: "Status" },
          { title: "Ordered" },
          { title: "Assigned to" },
        ]}
      >
        {holds.map((h, position) => (
          <IndexTable.Row
            id={h.id}
            key={h.id}
            position={position}
            selected={selectedResources.includes(h.id)}
            accessibilityLabel={`Select hold on order ${h.orderName}`}
          >
            <IndexTable.Cell>
              <Link to={`/app/holds/${h.id}`} data-primary-link>
                <Text as="span" fontWeight="semibold">
                  {h.orderName}
                </Text>
              </Link>
            </IndexTable.Cell>
            <IndexTable.Cell>{h.customer}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {h.amount}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <InlineStack gap="100">
                {h.rules.map((rule) => (
                  <Badge key={rule}>{ruleLabels[rule]}</Badge>
                ))}
              </InlineStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {h.riskScore ?? "–"}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{h.weakMatch ? <Badge tone="warning">Weak match</Badge> : <Badge>Strong</Badge>}</IndexTable.Cell>
            <IndexTable.Cell>
              <Badge tone={HOLD_STATUS_BADGES[h.status]?.tone}>{HOLD_STATUS_BADGES[h.status]?.label ?? h.status}</Badge>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <InlineStack gap="100" blockAlign="center">
                <Text as="span">{dateTime(h.orderedAt)}</Text>
                {h.shipBy && <Badge tone={SHIP_BY_BADGES[h.shipBy].tone}>{SHIP_BY_BADGES[h.shipBy].label}</Badge>}
              </InlineStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {h.assignee ? (
                h.assignedToMe ? (
                  `${h.assignee} (you)`
                ) : (
                  h.assignee
                )
              ) : (
                <Text as="span" tone="subdued">
                  Nobody
                </Text>
              )}
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </ListTable>
      {prompt && (
        <ConfirmModal
          open
          title={prompt.title}
          confirm={prompt.confirm}
          destructive={confirming === "cancel"}
          loading={busy}
          onConfirm={() => send(confirming!)}
          onClose={() => setConfirming(null)}
        >
          {prompt.paragraphs}
        </ConfirmModal>
      )}
    </>
  );
}
