// api.js talks to the PaaS's REST API, the same one the CLI uses.
//
// Every call sends the API token as "Authorization: Bearer TOKEN". The
// token lives in sessionStorage: it survives a reload of the tab but not
// closing it, and other tabs and sites cannot read it. When the server
// answers 401, the token is dropped and the page goes back to sign-in.

const tokenKey = "shibafu.token";

export function token() {
  return sessionStorage.getItem(tokenKey);
}

export function setToken(value) {
  sessionStorage.setItem(tokenKey, value);
}

// signOut forgets the token and tells the page (main.js listens).
export function signOut(reason) {
  sessionStorage.removeItem(tokenKey);
  window.dispatchEvent(new CustomEvent("shibafu:signed-out", { detail: reason }));
}

// ApiError is a refused call: the HTTP status and the server's message
// (the API answers errors as {"message": "..."}).
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// request sends one call and returns the Response once it is a success.
// body, when given, is sent as JSON; signal can abort the call.
async function request(path, { method = "GET", body, signal } = {}) {
  const headers = { Authorization: `Bearer ${token()}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const resp = await fetch(path, {
    method,
    headers,
    signal,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (resp.ok) return resp;

  let message = `${resp.status} ${resp.statusText}`;
  try {
    message = (await resp.json()).message || message;
  } catch {
    // Not JSON: keep the status line.
  }
  if (resp.status === 401) signOut(message);
  throw new ApiError(resp.status, message);
}

// get fetches a JSON document, such as GET /v1/apps.
export async function get(path, options) {
  const resp = await request(path, options);
  return resp.json();
}

// stream sends a call whose answer is JSON Lines (one JSON object per
// line, "application/x-ndjson") and calls onItem with each object as it
// arrives. The API answers this way for anything that takes a while
// (a scale, a rollback: the log of the rollout, then the release) and
// for what never ends (logs and events with ?follow=true).
//
// EventSource, the browser's built-in stream reader, cannot send an
// Authorization header, so this reads fetch's body stream by hand: bytes
// become text, text is cut at newlines, each whole line is parsed.
// It returns when the server ends the answer or signal aborts it.
export async function stream(path, onItem, options) {
  const resp = await request(path, options);
  const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    const lines = buffered.split("\n");
    buffered = lines.pop(); // the last piece may be half a line
    for (const line of lines) {
      if (line.trim() !== "") onItem(JSON.parse(line));
    }
  }
  if (buffered.trim() !== "") onItem(JSON.parse(buffered));
}

// missing tells whether an error means "this server has no such route":
// an older or partial server, where the dashboard hides a feature rather
// than fail.
export function missing(err) {
  return err instanceof ApiError && err.status === 404 && /no route/.test(err.message);
}

// appPath builds /v1/apps/NAME/... with the name escaped.
export function appPath(app, rest = "") {
  return `/v1/apps/${encodeURIComponent(app)}${rest}`;
}
