import { Timeline } from "@zendeskgarden/react-accordions";
import { SM, MD } from "@zendeskgarden/react-typography";
import type { TimelineEntry } from "#app/zendesk/contract";
import { entryLabel, HUE_COLOR } from "../labels";
import { useSpeech } from "../words";

function Dot({ color }: { color: string }) {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <circle cx="6" cy="6" r="5" fill={color} />
    </svg>
  );
}

/** The payment's history, newest first. */
export function PaymentTimelineView({ entries }: { entries: TimelineEntry[] }) {
  const { w, date, money } = useSpeech();
  if (entries.length === 0) return <SM>{w.payment.noEvents}</SM>;
  const newestFirst = [...entries].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  return (
    <Timeline aria-label={w.payment.timeline}>
      {newestFirst.map((entry) => {
        const { label, hue } = entryLabel(entry, w);
        return (
          <Timeline.Item key={entry.id} icon={<Dot color={HUE_COLOR[hue]} />} data-testid="timeline-entry">
            <Timeline.Content>
              <MD isBold>
                {label}
                {entry.amount !== null && entry.currency ? ` · ${money(entry.amount, entry.currency)}` : ""}
              </MD>
              {entry.summary ? <SM>{entry.summary}</SM> : null}
              <SM style={{ color: "#68737d" }}>{date(entry.occurredAt)}</SM>
            </Timeline.Content>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
