#!/usr/bin/env python3
"""Sign a fixed set of requests with the pyca-based `http-message-signatures` package (RFC 9421)
and write ../../testdata/interop/pyhms/<id>.http (raw HTTP/1.1) + <id>.json (sidecar).

Usage (from a venv with requirements.txt installed): python sign_pyhms.py
RSA-PKCS#1 v1.5 and Ed25519 are deterministic, so re-running reproduces identical files;
RSA-PSS is randomized (its signature bytes change on every run, the verdict does not).
"""
import datetime
import email.utils
import importlib.metadata
import json

from http_message_signatures import HTTPMessageSigner, MappingKeyResolver, algorithms

from common import ACTOR, ED25519_KEY_ID, MOVE_BODY, NOW, RSA_KEY_ID, TESTDATA, Message, key_bytes, to_raw

OUT = TESTDATA / "pyhms"
VERSION = importlib.metadata.version("http-message-signatures")
PRODUCER = f"http-message-signatures {VERSION} (pyca cryptography {importlib.metadata.version('cryptography')})"
DATE = email.utils.formatdate(NOW, usegmt=True)
CREATED = datetime.datetime.fromtimestamp(NOW, tz=datetime.timezone.utc)

RESOLVER = MappingKeyResolver(
    public_keys={},
    private_keys={RSA_KEY_ID: key_bytes("rsa-2048.priv.pem"), ED25519_KEY_ID: key_bytes("ed25519.priv.pem")},
)


def post():
    return Message(
        "POST",
        "https://local.example/users/bob/inbox",
        {"Host": "local.example", "Date": DATE, "Content-Type": "application/activity+json"},
        MOVE_BODY,
    )


def get(query=""):
    return Message(
        "GET",
        f"https://local.example/users/bob{query}",
        {"Host": "local.example", "Date": DATE, "Accept": "application/activity+json"},
    )


POST_COMPONENTS = ("@method", "@target-uri", "@authority", "content-type", "content-digest")
GET_COMPONENTS = ("@method", "@target-uri", "@authority", "date")

CASES = [
    # (id, message factory, algorithm class, key id, key file, components, extra sign kwargs, expect)
    ("pyhms-rsa-v1_5-sha256-post-move", post, algorithms.RSA_V1_5_SHA256, RSA_KEY_ID, "rsa-2048.pub.pem", POST_COMPONENTS, {}, "valid"),
    ("pyhms-rsa-v1_5-sha256-get-actor", get, algorithms.RSA_V1_5_SHA256, RSA_KEY_ID, "rsa-2048.pub.pem", GET_COMPONENTS, {}, "valid"),
    ("pyhms-ed25519-post-move", post, algorithms.ED25519, ED25519_KEY_ID, "ed25519.pub.pem", POST_COMPONENTS, {}, "valid"),
    ("pyhms-ed25519-get-actor", get, algorithms.ED25519, ED25519_KEY_ID, "ed25519.pub.pem", GET_COMPONENTS, {}, "valid"),
    ("pyhms-ed25519-get-query-param", lambda: get("?page=2&q=caf%C3%A9+au+lait"), algorithms.ED25519, ED25519_KEY_ID, "ed25519.pub.pem",
     ("@method", "@authority", "@path", "@query", '"@query-param";name="q"'), {}, "valid"),
    ("pyhms-ed25519-post-expires-nonce-tag", post, algorithms.ED25519, ED25519_KEY_ID, "ed25519.pub.pem", POST_COMPONENTS,
     {"expires": CREATED + datetime.timedelta(minutes=5), "nonce": "n-0001", "tag": "fediverse", "label": "sig-b"}, "valid"),
    ("pyhms-ed25519-post-no-alg", post, algorithms.ED25519, ED25519_KEY_ID, "ed25519.pub.pem", POST_COMPONENTS, {"include_alg": False}, "valid"),
    # RSA-PSS over the same RSA-2048 actor key.  The fediverse pins RSA actor keys to PKCS#1 v1.5
    # (spec §5 rule 1), so whether this verifies depends on how the key is loaded; see sidecar.
    ("pyhms-rsa-pss-sha512-post-move", post, algorithms.RSA_PSS_SHA512, RSA_KEY_ID, "rsa-2048.pub.pem", POST_COMPONENTS, {}, "pss"),
]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for cid, make, alg, key_id, key_file, components, extra, expect in CASES:
        msg = make()
        signer = HTTPMessageSigner(signature_algorithm=alg, key_resolver=RESOLVER)
        kwargs = dict(key_id=key_id, created=CREATED, covered_component_ids=components, label="sig1")
        kwargs.update(extra)
        if msg.body:
            kwargs["body"] = msg.body
        signer.sign(msg, **kwargs)
        (OUT / f"{cid}.http").write_bytes(to_raw(msg))
        if expect == "pss":
            verdict = {"mastodon": "invalid", "strict": "invalid"}
            note = "rsa-pss-sha512 on an RSA key loaded as a plain (PKCS#1 v1.5-pinned) actor key must be refused; it verifies only when the caller loads the key as RSA-PSS"
        else:
            verdict = {"mastodon": "valid", "strict": "valid"}
            note = None
        sidecar = {
            "id": cid,
            "producer": PRODUCER,
            "scheme": "rfc9421",
            "algorithm": alg.algorithm_id,
            "url": msg.url,
            "key": f"keys/{key_file}",
            "keyId": key_id,
            "actor": ACTOR,
            "now": NOW,
            "expect": verdict,
        }
        if note:
            sidecar["note"] = note
        (OUT / f"{cid}.json").write_text(json.dumps(sidecar, indent=2) + "\n")
        written.append(cid)
        print(f"{cid}: written")
    (OUT / "manifest.json").write_text(json.dumps({"producer": PRODUCER, "now": NOW, "written": written}, indent=2) + "\n")


if __name__ == "__main__":
    main()
