// The review queue's table: one row per hold, with its order's age against the ship-by time and its
// assignee, and the bulk actions. Release and cancel first confirm how many orders and how much money
// they touch (per currency); the server acts only on holds still undecided and says which it left alone.
import { Link, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, IndexTable, InlineStack, Text, useIndexResourceState } from "@shopify/polaris";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { roleAllows, type StaffRole } from "../../shopify/roles";
import { ConfirmModal } from "../../ui/confirm-modal";
import { ListTable } from "../../ui/list-page";
import { useFormat } from "../../ui/format";
import type { listHolds } from "../queue.server";
import { HOLD_STATUS_BADGES } from "../status-badges";

type QueueRow = Awaited<ReturnType<typeof listHolds>>["holds"][number];

const SHIP_BY_TONES = { due_soon: "warning", overdue: "critical" } as const;

type Confirmable = "release" | "cancel";

/** What the confirmation says: how many orders, their total per currency, and what happens to them. */
export function confirmation(
  intent: Confirmable,
  rows: QueueRow[],
  t: TFunction<"holds">,
  totals: (amounts: Array<{ minor: number; currency: string }>) => string,
) {
  const count = rows.length;
  const value = totals(rows.map((r) => ({ minor: r.amountMinor, currency: r.currency })));
  return intent === "release"
    ? {
        title: t("queue.confirm.releaseTitle", { count }),
        confirm: t("queue.confirm.release"),
        paragraphs: [t("queue.confirm.releaseBody", { count, value }), t("queue.confirm.releaseLeftAlone")],
      }
    : {
        title: t("queue.confirm.cancelTitle", { count }),
        confirm: t("queue.confirm.cancel", { count }),
        paragraphs: [t("queue.confirm.cancelBody", { count, value }), t("queue.confirm.cancelFinal")],
      };
}

export function HoldQueueTable({ holds, role }: { holds: QueueRow[]; role: StaffRole }) {
  const { t } = useTranslation("holds");
  const { dateTime, money, totals } = useFormat();
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
  const prompt = confirming ? confirmation(confirming, selected, t, totals) : null;

  return (
    <>
      <ListTable
        empty={{ heading: t("queue.table.emptyHeading"), body: t("queue.table.emptyBody") }}
        selectable={canDecide}
        resourceName={{ singular: t("queue.table.resourceSingular"), plural: t("queue.table.resourcePlural") }}
        itemCount={holds.length}
        selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
        onSelectionChange={handleSelectionChange}
        loading={busy}
        promotedBulkActions={[
          { content: t("queue.table.release"), onAction: () => setConfirming("release") },
          ...(roleAllows(role, "finance") ? [{ content: t("queue.table.cancel"), onAction: () => setConfirming("cancel") }] : []),
        ]}
        bulkActions={[
          { content: t("queue.table.assignToMe"), onAction: () => send("assign", { assignee: "me" }) },
          { content: t("queue.table.unassign"), onAction: () => send("assign", { assignee: "nobody" }) },
        ]}
        headings={[
          { title: t("queue.table.order") },
          { title: t("queue.table.customer") },
          { title: t("queue.table.amount"), alignment: "end" },
          { title: t("queue.table.rules") },
          { title: t("queue.table.riskScore"), alignment: "end" },
          { title: t("queue.table.match") },
          { title: t("queue.table.status") },
          { title: t("queue.table.ordered") },
          { title: t("queue.table.assignedTo") },
        ]}
      >
        {holds.map((h, position) => (
          <IndexTable.Row
            id={h.id}
            key={h.id}
            position={position}
            selected={selectedResources.includes(h.id)}
            accessibilityLabel={t("queue.table.selectRow", { order: h.orderName })}
          >
            <IndexTable.Cell>
              <Link to={`/app/holds/${h.id}`} data-primary-link>
                <Text as="span" fontWeight="semibold">
                  {h.orderName}
                </Text>
              </Link>
            </IndexTable.Cell>
            <IndexTable.Cell>{h.customer ?? t("queue.table.unknownCustomer")}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {money(h.amountMinor, h.currency)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <InlineStack gap="100">
                {h.rules.map((rule) => (
                  <Badge key={rule}>{t(`rule.${rule}`)}</Badge>
                ))}
              </InlineStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {h.riskScore ?? "–"}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {h.weakMatch ? <Badge tone="warning">{t("queue.table.weakMatch")}</Badge> : <Badge>{t("queue.table.strongMatch")}</Badge>}
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Badge tone={HOLD_STATUS_BADGES[h.status]?.tone}>{h.status in HOLD_STATUS_BADGES ? t(`status.${h.status}`) : h.status}</Badge>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <InlineStack gap="100" blockAlign="center">
                <Text as="span">{dateTime(h.orderedAt)}</Text>
                {h.shipBy && <Badge tone={SHIP_BY_TONES[h.shipBy]}>{t(`queue.table.shipBy.${h.shipBy}`)}</Badge>}
              </InlineStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {h.assignee ? (
                h.assignedToMe ? (
                  t("queue.table.you", { name: h.assignee })
                ) : (
                  h.assignee
                )
              ) : (
                <Text as="span" tone="subdued">
                  {t("queue.table.nobody")}
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
