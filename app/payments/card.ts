// A payment card as people read it: "Visa •••• 4242".

export function cardLabel(scheme: string | null | undefined, last4: string | null | undefined): string | null {
  return last4 ? `${scheme ?? "Card"} •••• ${last4}` : null;
}
