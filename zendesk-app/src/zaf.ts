// The part of the ZAF client (zendesk_app_framework_sdk) this app uses, typed. The SDK ships no types.

/** Options of client.request(), as Zendesk documents them ("Making API requests from a Zendesk app"). */
export interface ZafRequestOptions {
  url: string;
  type?: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  contentType?: string;
  /** A JSON string: ZAF hands objects to jQuery, which would form-encode them. */
  data?: string;
  headers?: Record<string, string>;
  /** Route through Zendesk's proxy, which fills {{setting.x}} and {{jwt.token}}. */
  secure?: boolean;
  cors?: boolean;
  jwt?: {
    algorithm: "HS256";
    secret_key: string;
    expiry?: number;
    claims?: Record<string, unknown>;
  };
}

/** What client.request() rejects with: a jqXHR-like object. status 0 means no answer at all. */
export interface ZafRequestFailure {
  status: number;
  statusText?: string;
  responseText?: string;
  responseJSON?: unknown;
}

export interface ZafMetadata {
  appId: number;
  installationId: number;
  name: string;
  /** Non-secure settings only: secure ones never reach the browser. */
  settings: Record<string, string | number | boolean | null | undefined>;
}

export interface ZafContext {
  product: string;
  location: string;
  instanceGuid: string;
  ticketId?: number;
  account?: { subdomain: string };
}

/** client.get() answers { [path]: value, errors: { [path]: error } }. */
export type ZafGetResult = Record<string, unknown> & { errors?: Record<string, { message?: string }> };

export interface ZafClient {
  get(paths: string | string[]): Promise<ZafGetResult>;
  set(path: string, value: unknown): Promise<unknown>;
  invoke(name: string, ...args: unknown[]): Promise<unknown>;
  on(event: string, handler: (data?: unknown) => void): void;
  off(event: string, handler: (data?: unknown) => void): void;
  request<T = unknown>(options: ZafRequestOptions): Promise<T>;
  context(): Promise<ZafContext>;
  metadata(): Promise<ZafMetadata>;
}
