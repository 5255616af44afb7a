// Home's warning that unanswered disputes need evidence within the reminder's lead time (the Disputes
// screen sets it), shown whether or not the Flow trigger "Dispute evidence due soon" is on.
import { Banner } from "@shopify/polaris";
import { useFormat } from "../../ui/format";

export function EvidenceDueBanner({ count, nearest, hours }: { count: number; nearest: string; hours: number }) {
  const { dateTime } = useFormat();
  return (
    <Banner
      tone="warning"
      title={`${count} dispute${count === 1 ? " needs" : "s need"} evidence within ${hours} hour${hours === 1 ? "" : "s"}`}
      // The list shows disputes waiting for an answer first, soonest deadline first.
      action={{ content: "Open disputes", url: "/app/disputes" }}
    >
      <p>The nearest deadline is {dateTime(nearest)}. Answer each before its deadline: a dispute left unanswered is lost.</p>
    </Banner>
  );
}
