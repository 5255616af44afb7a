// What went wrong, in the domain's terms. Features throw these; errors.server.ts turns them into
// answers in one place, so routes never read messages or database error codes. The message is meant
// for the person who asked: English as written here, or, where the error names its text in the
// `errors` translations, in the staff member's language. (Who may do what is the staff guard's
// business: app/shopify/staff.server.ts answers 403 itself.)

import type { Words } from "../i18n/locales";

export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: 402 | 404 | 409 | 422,
    readonly text?: Words,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing asked for does not exist in this shop (another shop's id included). */
export class NotFoundError extends DomainError {
  constructor(message: string, text?: Words) {
    super(message, 404, text);
  }
}

/** It exists, but its state does not allow this now (being processed, already answered). */
export class ConflictError extends DomainError {
  constructor(message: string, text?: Words) {
    super(message, 409, text);
  }
}

/** The request is understood but cannot be done (a rule of the domain refuses it). */
export class RefusedError extends DomainError {
  constructor(message: string, text?: Words) {
    super(message, 422, text);
  }
}

/** The shop's plan does not include this (app/billing): the message names the plan that does. */
export class PlanRequiredError extends DomainError {
  constructor(message: string, text?: Words) {
    super(message, 402, text);
  }
}
