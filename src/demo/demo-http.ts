/**
 * The demo's HTTP client: it seeds through the public API only, as a treasurer's tools would, so the demo exercises
 * what ships. Node's fetch keeps connections alive; `pool` bounds how many requests run at once on a small machine.
 */
export interface DemoResponse {
  status: number;
  body: unknown;
}

export interface DemoRequest {
  body?: unknown;
  /** Raw text body (CSV) sent as is with `contentType`. */
  text?: string;
  contentType?: string;
  /** A multipart form (a statement file upload); fetch writes its content-type and boundary. */
  form?: FormData;
  token?: string;
  apiKey?: string;
  idempotencyKey?: string;
}

export class DemoHttp {
  constructor(private readonly baseUrl: string) {}

  async request(method: string, path: string, req: DemoRequest = {}): Promise<DemoResponse> {
    const headers: Record<string, string> = {};
    let payload: string | FormData | undefined;
    if (req.form !== undefined) {
      payload = req.form;
    } else if (req.text !== undefined) {
      headers['content-type'] = req.contentType ?? 'text/plain';
      payload = req.text;
    } else if (req.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(req.body);
    }
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    if (req.apiKey) headers['x-api-key'] = req.apiKey;
    if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (a PDF, a CSV): kept as text
    }
    return { status: res.status, body };
  }

  /** The request, which must answer `expected`; anything else stops the seed with the problem the API gave. */
  async must<T = Record<string, unknown>>(expected: number | number[], method: string, path: string, req: DemoRequest = {}): Promise<T> {
    const res = await this.request(method, path, req);
    if (!(Array.isArray(expected) ? expected : [expected]).includes(res.status)) throw new Error(`${method} ${path}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  }
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in the items' order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i], i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
