// A dispute's statuses, categories, evidence types, time left and refusal in the staff member's
// language (namespace "disputes"). The facts come from ../status.ts, whose English words stay for
// Zendesk, evidence and domain answers. `disputeWords` also serves the routes' actions (with
// `translator`); screens use `useDisputeWords()`.
import type { TFunction } from "i18next";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { Locale } from "../../i18n/locales";
import { useFormat } from "../../ui/format";
import type { EvidenceType } from "../model";
import { isKnownCategory, isKnownStatus, timeLeft, type RefusalReason } from "../status";

export function disputeWords(t: TFunction, locale: Locale, dateTime: (at: string | Date) => string) {
  const category = (value: string | null) =>
    value === null ? t("reasonUnknown") : isKnownCategory(value) ? t(`category.${value}`) : value.replaceAll("_", " ");
  const status = (value: string) => (isKnownStatus(value) ? t(`status.${value}`) : value.replaceAll("_", " "));
  // English names a status and a category in lower case inside a sentence; French and German quote them as labels.
  const inSentence = (label: string) => (locale === "en" ? label.toLowerCase() : label);
  return {
    category,
    status,
    evidence: (type: EvidenceType) => t(`evidence.${type}`),
    /** "3 days left", "Overdue", "No deadline", and whether it is urgent (within 48 hours) or overdue. */
    timeLeft: (deadline: string | Date | null, now: Date) => {
      const left = timeLeft(deadline, now);
      if (left.kind === "none") return { text: t("deadline.none"), urgent: false, overdue: false };
      if (left.kind === "overdue") return { text: t("deadline.overdue"), urgent: true, overdue: true };
      return { text: t(`deadline.left.${left.unit}`, { count: left.count }), urgent: left.urgent, overdue: false };
    },
    /** Why the evidence cannot change or be sent (status.ts `refusalReason`), in words. */
    refusal: (reason: RefusalReason) => {
      switch (reason.kind) {
        case "submitted":
          return t("refusal.submitted", { date: dateTime(reason.at) });
        case "submitting":
          return t("refusal.submitting");
        case "accepted":
          return t("refusal.accepted");
        case "closed":
          return t("refusal.closed", { category: inSentence(category(reason.category)), status: inSentence(status(reason.status)) });
        case "deadline_passed":
          return t("refusal.deadlinePassed", { date: dateTime(reason.deadline) });
      }
    },
  };
}

export type DisputeWords = ReturnType<typeof disputeWords>;

/** The dispute words in the staff member's language, dates in the shop's time zone. */
export function useDisputeWords(): DisputeWords {
  const { t } = useTranslation("disputes");
  const { locale, dateTime } = useFormat();
  return useMemo(() => disputeWords(t, locale, dateTime), [t, locale, dateTime]);
}
