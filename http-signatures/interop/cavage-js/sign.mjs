// Signs draft-cavage requests with two implementations we did not write and writes them to
// ../../testdata/interop/<misskey|joyent>/<id>.http (raw HTTP/1.1) + <id>.json (sidecar):
//
// - Misskey's `@misskey-dev/node-http-message-signatures` (WebCrypto; what Misskey uses).
//   Its `signAsDraftToRequest` names an Ed25519 key `algorithm="ed25519-sha512"`; the
//   `hs2019` cases use the same library's lower-level functions (`genDraftSigningString`,
//   `genDraftSignature`, `genDraftSignatureHeader`) with `hs2019` as the algorithm name.
// - Joyent's `http-signature` (sshpk; the original node implementation). It names keys
//   `<type>-<hash>` (`ed25519-sha512`, `rsa-sha256`) and can sign into `Authorization`.
//
// Host, Date and Digest are set here (fixed time `NOW`); each library builds the signing string
// and the signature itself.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  genDraftSignature,
  genDraftSignatureHeader,
  genDraftSigningString,
  importPrivateKey as misskeyImportPrivateKey,
  signAsDraftToRequest,
} from "@misskey-dev/node-http-message-signatures";
import httpSignature from "http-signature";
import { ACTOR, ED25519_KEY_ID, MOVE_BODY, NOW, readKey, RSA_KEY_ID, TESTDATA } from "../node/common.mjs";

const version = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version;
const MISSKEY = `@misskey-dev/node-http-message-signatures ${version("@misskey-dev/node-http-message-signatures")}`;
const JOYENT = `http-signature ${version("http-signature")} (joyent, sshpk ${version("sshpk")})`;

const DATE = new Date(NOW * 1000).toUTCString(); // "Mon, 01 Dec 2025 00:00:00 GMT"
const HOST = "local.example";
const digest = (body) => `SHA-256=${createHash("sha256").update(body).digest("base64")}`;

/** A request as both libraries read it: origin-form `url`/`path`, lower-case header object. */
function request(method, target, extra = {}, body = "") {
  const headers = { host: HOST, date: DATE, ...extra };
  if (body) headers.digest = digest(body);
  return {
    method,
    url: target,
    path: target,
    body,
    headers,
    getHeader(name) { return this.headers[name.toLowerCase()]; },
    setHeader(name, value) { this.headers[name.toLowerCase()] = value; },
  };
}
const post = () => request("POST", "/users/bob/inbox", { "content-type": "application/activity+json" }, MOVE_BODY);
const get = () => request("GET", "/users/bob", { accept: "application/activity+json" });
const POST_HEADERS = ["(request-target)", "host", "date", "digest", "content-type"];
const GET_HEADERS = ["(request-target)", "host", "date", "accept"];

function toRaw(req) {
  const lines = [`${req.method} ${req.path} HTTP/1.1`];
  for (const [name, value] of Object.entries(req.headers)) lines.push(`${name}: ${value}`);
  return Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1"), Buffer.from(req.body, "utf8")]);
}

// --- Misskey ---------------------------------------------------------------------------------
async function misskeySign(req, keyFile, keyId, headers, algorithm) {
  const privateKeyPem = readKey(keyFile);
  if (algorithm == null) {
    // The library's own choice of algorithm name (ed25519-sha512 / rsa-sha256).
    const r = await signAsDraftToRequest(req, { keyId, privateKeyPem }, headers, { hash: "SHA-256" });
    req.headers.signature = r.signatureHeader;
    delete req.headers.Signature;
    return;
  }
  const key = await misskeyImportPrivateKey(privateKeyPem, ["sign"], { hash: "SHA-256", ec: "DSA" });
  const signingString = genDraftSigningString(req, headers, { keyId, algorithm });
  const signature = await genDraftSignature(key, signingString, { hash: "SHA-256", ec: "DSA" });
  req.headers.signature = genDraftSignatureHeader(headers, keyId, signature, algorithm);
}

// --- Joyent ----------------------------------------------------------------------------------
function joyentSign(req, keyFile, keyId, headers, into) {
  httpSignature.sign(req, {
    key: readKey(keyFile),
    keyId,
    headers,
    authorizationHeaderName: into,
  });
}

const ed = { keyFile: "ed25519.priv.pem", pub: "ed25519.pub.pem", keyId: ED25519_KEY_ID };
const rsa = { keyFile: "rsa-2048.priv.pem", pub: "rsa-2048.pub.pem", keyId: RSA_KEY_ID };

const cases = [
  { dir: "misskey", id: "misskey-cavage-ed25519-post-move", make: post, key: ed, headers: POST_HEADERS,
    sign: (r, k, h) => misskeySign(r, k.keyFile, k.keyId, h, null) },
  { dir: "misskey", id: "misskey-cavage-ed25519-hs2019-post-move", make: post, key: ed, headers: POST_HEADERS,
    sign: (r, k, h) => misskeySign(r, k.keyFile, k.keyId, h, "hs2019") },
  { dir: "misskey", id: "misskey-cavage-ed25519-hs2019-get-actor", make: get, key: ed, headers: GET_HEADERS,
    sign: (r, k, h) => misskeySign(r, k.keyFile, k.keyId, h, "hs2019") },
  { dir: "misskey", id: "misskey-cavage-rsa-post-move", make: post, key: rsa, headers: POST_HEADERS,
    sign: (r, k, h) => misskeySign(r, k.keyFile, k.keyId, h, null) },
  { dir: "joyent", id: "joyent-cavage-ed25519-post-move", make: post, key: ed, headers: POST_HEADERS,
    sign: (r, k, h) => joyentSign(r, k.keyFile, k.keyId, h, "Signature") },
  { dir: "joyent", id: "joyent-cavage-ed25519-authorization-get-actor", make: get, key: ed, headers: GET_HEADERS,
    sign: (r, k, h) => joyentSign(r, k.keyFile, k.keyId, h, "Authorization") },
  { dir: "joyent", id: "joyent-cavage-rsa-post-move", make: post, key: rsa, headers: POST_HEADERS,
    sign: (r, k, h) => joyentSign(r, k.keyFile, k.keyId, h, "Signature") },
];

const manifests = {};
for (const c of cases) {
  const out = join(TESTDATA, c.dir);
  mkdirSync(out, { recursive: true });
  const producer = c.dir === "misskey" ? MISSKEY : JOYENT;
  manifests[c.dir] ??= { producer, now: NOW, written: [] };
  const req = c.make();
  await c.sign(req, c.key, c.headers);
  const header = req.headers.signature ?? req.headers.authorization;
  const algorithm = /algorithm="([^"]+)"/.exec(header)?.[1] ?? null;
  writeFileSync(join(out, `${c.id}.http`), toRaw(req));
  const sidecar = {
    id: c.id,
    producer,
    scheme: "cavage",
    algorithm,
    url: `https://${HOST}${req.path}`,
    key: `keys/${c.key.pub}`,
    keyId: c.key.keyId,
    actor: ACTOR,
    now: NOW,
    expect: { mastodon: "valid", strict: "valid" },
  };
  writeFileSync(join(out, `${c.id}.json`), JSON.stringify(sidecar, null, 2) + "\n");
  manifests[c.dir].written.push(c.id);
  console.log(`${c.id}: written (algorithm=${algorithm})`);
}
for (const [dir, m] of Object.entries(manifests)) {
  writeFileSync(join(TESTDATA, dir, "manifest.json"), JSON.stringify(m, null, 2) + "\n");
}
