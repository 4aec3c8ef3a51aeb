// The one way the app talks to the server: the documented JSON API (README, docs/), with the
// session cookie and, on every change, the CSRF token the session gave us. Errors come back as
// ApiError, carrying the rule id (and every violation) when a rule refused the call, and the
// stable key and params of the message (web/i18n/errors.ts says it in the user's language).

export type Params = Record<string, string | number>;
export type Violation = { rule: string; message: string; key?: string; params?: Params };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly rule?: string,
    readonly violations: Violation[] = [],
    readonly key?: string,
    readonly params: Params = {},
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

async function failure(res: Response): Promise<ApiError> {
  let body: {
    error?: {
      code?: string;
      key?: string;
      params?: Params;
      message?: string;
      rule?: string;
      violations?: Violation[];
    };
    violations?: Violation[];
  } = {};
  try {
    body = await res.json();
  } catch {
    // not JSON: keep the status line
  }
  const e = body.error ?? {};
  return new ApiError(
    res.status,
    e.code ?? 'error',
    e.message ?? `${res.status} ${res.statusText}`,
    e.rule,
    e.violations ??
      body.violations ??
      (e.rule ? [{ rule: e.rule, message: e.message ?? '', key: e.key, params: e.params }] : []),
    e.key,
    e.params ?? {},
  );
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** A multipart upload with progress (fetch reports none for request bodies). */
export function upload<T>(
  path: string,
  form: FormData,
  onProgress?: (sent: number, total: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.total);
    xhr.onerror = () =>
      reject(
        new ApiError(
          0,
          'network',
          'the server cannot be reached',
          undefined,
          [],
          'network.unreachable',
        ),
      );
    xhr.onload = async () => {
      const res = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' },
      });
      if (res.ok) resolve((await res.json()) as T);
      else reject(await failure(res));
    };
    xhr.send(form);
  });
}
