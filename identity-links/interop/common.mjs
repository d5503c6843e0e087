// Shared helpers for the Fedify interop scripts: the fixed key, the actor document and a
// document loader that serves them (and Fedify's preloaded JSON-LD contexts) from local files.
// Nothing here touches the network.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { preloadedContexts } from "@fedify/vocab-runtime";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const TESTDATA = join(HERE, "..", "testdata", "interop");
export const ACTOR_ID = "https://interop.example/users/alice";
export const KEY_ID = `${ACTOR_ID}#ed25519-key`;
/** Every proof is created at this instant so the corpus is reproducible. */
export const CREATED = "2025-12-01T00:00:00Z";

export function readJson(...parts) {
  return JSON.parse(readFileSync(join(TESTDATA, ...parts), "utf8"));
}

export function listJson(dir) {
  return readdirSync(join(TESTDATA, dir)).filter((f) => f.endsWith(".json")).sort();
}

export const version = JSON.parse(
  readFileSync(new URL("./node_modules/@fedify/fedify/package.json", import.meta.url)),
).version;

/** The actor document (FEP-521a Multikey in assertionMethod), served for ACTOR_ID and KEY_ID. */
export const actor = readJson("actor.json");

/** A document loader over local files only: the actor, then Fedify's preloaded contexts. */
export async function documentLoader(url) {
  const bare = url.split("#")[0];
  if (bare === ACTOR_ID) return { contextUrl: null, document: actor, documentUrl: bare };
  if (url in preloadedContexts) return { contextUrl: null, document: preloadedContexts[url], documentUrl: url };
  throw new Error(`interop loader: refusing to fetch ${url}`);
}

export async function importPrivateKey() {
  const { jwk } = readJson("keys", "ed25519.json");
  return await crypto.subtle.importKey("jwk", jwk, { name: "Ed25519" }, true, ["sign"]);
}
