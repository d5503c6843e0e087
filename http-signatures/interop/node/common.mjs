// Shared helpers for the Fedify interop scripts: fixed keys, fixed times, raw HTTP/1.1 I/O.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const TESTDATA = join(HERE, "..", "..", "testdata", "interop");
export const KEYS = join(TESTDATA, "keys");

/** The fixed "now" every corpus file is signed at and must be verified at (2025-12-01T00:00:00Z). */
export const NOW = 1764547200;

export const ACTOR = "https://remote.example/users/alice";
export const RSA_KEY_ID = `${ACTOR}#main-key`;
export const ED25519_KEY_ID = `${ACTOR}#ed25519-key`;

/** The Move activity body (bytes matter: digests are computed over them). */
export const MOVE_BODY = JSON.stringify({
  "@context": "https://www.w3.org/ns/activitystreams",
  id: `${ACTOR}#moves/1`,
  type: "Move",
  actor: ACTOR,
  object: ACTOR,
  target: "https://new.example/users/alice",
  to: [`${ACTOR}/followers`],
});

export function readKey(name) {
  return readFileSync(join(KEYS, name), "utf8");
}

function pemBody(pem) {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
}

export async function importPrivateKey(name, algorithm) {
  return await crypto.subtle.importKey("pkcs8", pemBody(readKey(name)), algorithm, true, ["sign"]);
}

/** Serialises a WHATWG Request as a raw HTTP/1.1 request (CRLF, origin-form target). */
export async function toRaw(request) {
  const url = new URL(request.url);
  const lines = [`${request.method} ${url.pathname}${url.search} HTTP/1.1`];
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  const head = Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1");
  const body = request.method === "GET" || request.method === "HEAD"
    ? Buffer.alloc(0)
    : Buffer.from(await request.clone().arrayBuffer());
  return Buffer.concat([head, body]);
}

/** Parses a raw HTTP/1.1 request (as written by toRaw or by our Rust writer) into a Request. */
export function fromRaw(bytes, scheme = "https") {
  const sep = bytes.indexOf("\r\n\r\n");
  if (sep < 0) throw new Error("no end of header section");
  const head = bytes.subarray(0, sep).toString("latin1").split("\r\n");
  const body = bytes.subarray(sep + 4);
  const [method, target, version] = head[0].split(" ");
  if (version !== "HTTP/1.1") throw new Error(`bad request line: ${head[0]}`);
  const headers = new Headers();
  for (const line of head.slice(1)) {
    const i = line.indexOf(":");
    if (i <= 0) throw new Error(`bad field line: ${line}`);
    headers.append(line.slice(0, i), line.slice(i + 1).trim());
  }
  const host = headers.get("host");
  if (host == null) throw new Error("no Host header");
  return new Request(`${scheme}://${host}${target}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : body,
  });
}
