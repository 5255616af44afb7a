// A payment card as people read it: "Visa •••• 4242".

/** `unknownScheme` names a card whose scheme Checkout.com did not report ("Card" in English; the admin passes its own word). */
export function cardLabel(scheme: string | null | undefined, last4: string | null | undefined, unknownScheme = "Card"): string | null {
  return last4 ? `${scheme ?? unknownScheme} •••• ${last4}` : null;
}
