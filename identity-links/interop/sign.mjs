// Signs a fixed set of objects with Fedify's signObject (FEP-8b32, eddsa-jcs-2022) and writes
// them as Fedify puts them on the wire to ../testdata/interop/fedify-signed/<name>.json.
//
// Fedify signs (createProof) and sends (Context.sendActivity) the compact JSON-LD *after* its
// internal normalizeOutgoingActivityJsonLd (as:Public -> the full Public IRI, scalar
// attachments -> arrays); a bare `toJsonLd()` of the signed object still says "as:Public" and
// does not match its own proof. That bare form is kept in fedify-signed/unnormalized/ to pin
// the quirk: a strict eddsa-jcs-2022 verifier (ours) rejects it; Fedify's verifier retries
// with the normalisation.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Temporal } from "@js-temporal/polyfill";
import { signObject } from "@fedify/fedify/sig";
import { Create, Move, Note, Place, PUBLIC_COLLECTION } from "@fedify/vocab";
import { ACTOR_ID, CREATED, KEY_ID, TESTDATA, documentLoader, importPrivateKey, version } from "./common.mjs";

const OUT = join(TESTDATA, "fedify-signed");
mkdirSync(join(OUT, "unnormalized"), { recursive: true });
// Not exported by the package: load the pinned build's module by path.
const dist = new URL("./node_modules/@fedify/fedify/dist/", import.meta.url);
const internal = readdirSync(dist).find((f) => /^outgoing-jsonld-.*\.mjs$/.test(f));
const { r: normalizeOutgoingActivityJsonLd } = await import(new URL(internal, dist));
const key = await importPrivateKey();
const actor = new URL(ACTOR_ID);
const created = Temporal.Instant.from(CREATED);

const note = new Note({
  id: new URL("https://interop.example/notes/1"),
  attribution: actor,
  to: PUBLIC_COLLECTION,
  content: "Hello, world! <b>bold</b> — ünïcödé 😀",
  published: Temporal.Instant.from("2025-11-30T12:00:00Z"),
});
const objects = {
  note,
  create: new Create({
    id: new URL("https://interop.example/activities/1"),
    actor,
    to: PUBLIC_COLLECTION,
    object: new Note({
      id: new URL("https://interop.example/notes/2"),
      attribution: actor,
      content: "With a place",
      location: new Place({ name: "Somewhere", latitude: 25.273962, longitude: -71.184902 }),
    }),
  }),
  move: new Move({
    id: new URL("https://interop.example/activities/move-1"),
    actor,
    object: actor,
    target: new URL("https://new.example/users/alice"),
  }),
};

for (const [name, object] of Object.entries(objects)) {
  const signed = await signObject(object, key, new URL(KEY_ID), { created, contextLoader: documentLoader, documentLoader });
  const json = await signed.toJsonLd({ format: "compact", contextLoader: documentLoader });
  const wire = await normalizeOutgoingActivityJsonLd(json, documentLoader);
  writeFileSync(join(OUT, `${name}.json`), JSON.stringify(wire, null, 2) + "\n");
  if (JSON.stringify(wire) !== JSON.stringify(json)) {
    writeFileSync(join(OUT, "unnormalized", `${name}.json`), JSON.stringify(json, null, 2) + "\n");
  }
  console.log(`fedify-signed/${name}.json (@fedify/fedify ${version})`);
}
