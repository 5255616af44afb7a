// Checkout.com's error answers. 422 carries `{request_id, error_type, error_codes}`; 401, 403, 404,
// 409, 429 and 5xx come with an empty body, as the API sends them, except an error given codes (the
// reports API's 404 `report_not_found`), which carries them in the same format.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCodes: string[] = [],
    readonly errorType = "request_invalid",
  ) {
    super(errorCodes.length ? `${status} ${errorCodes.join(", ")}` : String(status));
    this.name = "ApiError";
  }

  /** The JSON body for this error, or undefined when Checkout.com answers with an empty body. */
  body(requestId: string): { request_id: string; error_type: string; error_codes: string[] } | undefined {
    return this.status === 422 || this.errorCodes.length > 0 ? { request_id: requestId, error_type: this.errorType, error_codes: this.errorCodes } : undefined;
  }
}

/** 422 request_invalid with these codes. */
export const invalid = (...codes: string[]) => new ApiError(422, codes);
/** 403: the action is not allowed for the payment's state ("Capture/Refund/Void not allowed"). */
export const notAllowed = () => new ApiError(403);
export const notFound = () => new ApiError(404);
