// The one API client: JSON in and out, bearer tokens, and problem+json turned into ApiError
// with a message a person can act on (see messages.ts).
import { messageFor } from "./messages";
import { getSession, setSession } from "./session";

export type Auth = "user" | "station" | "none";

export interface RowProblem { line: number; field: string | null; message: string }

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly fields: Record<string, string[]> = {},
    readonly rows: RowProblem[] = [],
    /** The whole problem, extension members included (e.g. `registration_id` of already_registered). */
    readonly problem: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** True when the server never answered: the request may be retried or done offline. */
  get isNetwork(): boolean {
    return this.reason === "network" || this.reason === "timeout";
  }

  /** The first message for a form field, to show next to it. */
  field(name: string): string | undefined {
    return this.fields[name]?.[0];
  }
}

export interface Page<T> { items: T[]; page: number; per_page: number; total: number; pages: number }

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Sent as-is with this content type instead of JSON (CSV uploads). */
  rawBody?: { data: BodyInit; type: string };
  query?: Record<string, string | number | boolean | undefined | null>;
  auth?: Auth;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

let stationToken: () => string | null = () => null;

/** The door registers how to read its token (kept out of this module so pages don't load door code). */
export function setStationTokenReader(read: () => string | null): void {
  stationToken = read;
}

function tokenFor(auth: Auth): string | null {
  if (auth === "station") return stationToken();
  if (auth === "user") return getSession()?.token ?? null;
  return null;
}

export function apiUrl(path: string, query?: RequestOptions["query"]): string {
  const url = new URL(`/api/v1${path}`, location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, String(value));
  }
  return url.pathname + url.search;
}

/** Send a request and return the raw Response (2xx or 304); any other answer throws ApiError. */
export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const { method = "GET", body, rawBody, query, auth = "user", timeoutMs = 15000 } = options;
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  const token = tokenFor(auth);
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (rawBody) {
    headers["Content-Type"] = rawBody.type;
    payload = rawBody.data;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response: Response;
  try {
    response = await fetch(apiUrl(path, query), { method, headers, body: payload, signal: controller.signal });
  } catch {
    const reason = controller.signal.aborted ? "timeout" : "network";
    throw new ApiError(0, reason, messageFor(reason));
  } finally {
    clearTimeout(timer);
  }
  if (response.ok || response.status === 304) return response;
  const error = await problemFrom(response);
  if (error.status === 401 && auth === "user" && token) setSession(null); // expired or revoked sign-in
  throw error;
}

async function problemFrom(response: Response): Promise<ApiError> {
  let problem: { reason?: string; detail?: string; errors?: Record<string, string[]>; rows?: RowProblem[] } & Record<string, unknown> = {};
  try {
    problem = await response.json();
  } catch {
    // A proxy's HTML error page: fall back on the status.
  }
  const reason = problem.reason ?? (response.status >= 500 ? "server_error" : "http_error");
  return new ApiError(response.status, reason, messageFor(reason, problem.detail), problem.errors ?? {}, problem.rows ?? [], problem);
}

/** A JSON API call; resolves with the parsed body (undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await request(path, options);
  if (response.status === 204 || response.status === 304) return undefined as T;
  return (await response.json()) as T;
}
