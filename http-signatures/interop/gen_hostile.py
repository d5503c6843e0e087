#!/usr/bin/env python3
"""Generate ../testdata/hostile.json: the Wycheproof-shaped hostile-case corpus for the
`http-signatures` crate.

Independent of the crate: signing strings (draft-cavage-12 §2.3) and signature bases (RFC 9421
§2.5) are rebuilt here by hand and signed with pyca `cryptography`, so a bug shared by our Rust
builder and this script is unlikely.  Every rule of spec/http-signatures.md §5 has at least one
case (see the `flags` / `notes`).  RSA PKCS#1 v1.5, Ed25519 and HMAC are deterministic: re-running
reproduces the file byte for byte except the two RSA-PSS signatures.

Result semantics (as in Wycheproof):
  valid       must verify under the group's policy
  invalid     must fail under the group's policy, with `errorKind` == Error::kind()
  acceptable  lenient-only: must verify under VerifyPolicy::mastodon() and fail under
              VerifyPolicy::strict() with `errorKind`
All requests are https; `now` is the verifier's clock (Unix seconds).

Usage: python3 gen_hostile.py   (needs only `cryptography`)
"""
import base64
import hashlib
import hmac as hmac_mod
import json
import pathlib
from email.utils import formatdate
from urllib.parse import parse_qsl, quote, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

ROOT = pathlib.Path(__file__).resolve().parent.parent
KEYS = ROOT / "testdata" / "interop" / "keys"
OUT = ROOT / "testdata" / "hostile.json"

NOW = 1764547200  # 2025-12-01T00:00:00Z, the verifier clock for every case
ACTOR = "https://remote.example/users/alice"
RSA_KEY_ID = f"{ACTOR}#main-key"
ED_KEY_ID = f"{ACTOR}#ed25519-key"
HOST = "local.example"
INBOX = "/users/bob/inbox"
MOVE = json.dumps(
    {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{ACTOR}#moves/1", "type": "Move",
     "actor": ACTOR, "object": ACTOR, "target": "https://new.example/users/alice",
     "to": [f"{ACTOR}/followers"]},
    separators=(",", ":"),
).encode()

# Time offsets (seconds) relative to NOW.  Policy windows (spec §5 rule 5): mastodon() accepts
# created/Date in about [now - 65 min, now + 65 min]; strict() in [now - 5 min, now + 1 min].
STALE = -2 * 3600
FUTURE = 2 * 3600
LENIENT_OLD = -30 * 60
LENIENT_AHEAD = 10 * 60


def load_priv(name):
    return serialization.load_pem_private_key((KEYS / name).read_bytes(), password=None)


RSA = load_priv("rsa-2048.priv.pem")
RSA_OTHER = load_priv("rsa-2048-other.priv.pem")
RSA_1024 = load_priv("rsa-1024.priv.pem")
ED = load_priv("ed25519.priv.pem")
RSA_PUB_PEM = (KEYS / "rsa-2048.pub.pem").read_text()


def b64(b):
    return base64.b64encode(b).decode()


def http_date(t):
    return formatdate(t, usegmt=True)


def sign(key, alg, data: bytes) -> bytes:
    if alg == "rsa-v1_5-sha256":
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    if alg == "rsa-pss-sha512":
        return key.sign(data, padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64), hashes.SHA512())
    if alg == "ed25519":
        return key.sign(data)
    if alg == "hmac-sha256":  # `key` is the secret bytes
        return hmac_mod.new(key, data, hashlib.sha256).digest()
    raise ValueError(alg)


def raw(method, target, headers, body=b""):
    head = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers) + "\r\n"
    return head + body.decode("utf-8")


def field(headers, name):
    vals = [v.strip() for n, v in headers if n.lower() == name]
    if not vals:
        raise KeyError(name)
    return ", ".join(vals)


def sha256_digest(body):
    return f"SHA-256={b64(hashlib.sha256(body).digest())}"


def post_headers(date=NOW, digest=None, body=MOVE):
    return [("Host", HOST), ("Date", http_date(date)), ("Digest", digest if digest is not None else sha256_digest(body)),
            ("Content-Type", "application/activity+json")]


def get_headers(date=NOW):
    return [("Host", HOST), ("Date", http_date(date)), ("Accept", "application/activity+json")]


# ---------------------------------------------------------------------------------------------
# draft-cavage-12
# ---------------------------------------------------------------------------------------------
MASTODON_HEADERS = ["(request-target)", "host", "date", "digest", "content-type"]


def cavage_string(method, target, headers, covered, created=None, expires=None):
    lines = []
    for name in covered:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {target}")
        elif name == "(created)":
            lines.append(f"(created): {created}")
        elif name == "(expires)":
            lines.append(f"(expires): {expires}")
        else:
            lines.append(f"{name}: {field(headers, name)}")
    return "\n".join(lines).encode("utf-8")


def cavage(method="POST", target=INBOX, headers=None, body=MOVE, *, key=RSA, sign_alg="rsa-v1_5-sha256",
           key_id=RSA_KEY_ID, algorithm="rsa-sha256", covered=MASTODON_HEADERS, created=None, expires=None,
           signed_target=None, signed_headers=None, form="signature", params=None, mutate=None):
    """Build a cavage-signed raw request.  `signed_target` / `signed_headers` sign something other
    than what is sent; `params` overrides the auth-param list; `mutate` edits the final header list."""
    if headers is None:
        headers = post_headers(body=body) if method == "POST" else get_headers()
    sstring = cavage_string(method, signed_target or target, signed_headers or headers, covered, created, expires)
    sig = b64(sign(key, sign_alg, sstring))
    if params is None:
        params = [("keyId", f'"{key_id}"')]
        if algorithm is not None:
            params.append(("algorithm", f'"{algorithm}"'))
        if created is not None:
            params.append(("created", str(created)))
        if expires is not None:
            params.append(("expires", str(expires)))
        params.append(("headers", '"' + " ".join(covered) + '"'))
        params.append(("signature", f'"{sig}"'))
    else:
        params = [(k, v.replace("{sig}", sig)) for k, v in params]
    value = ",".join(f"{k}={v}" for k, v in params)
    out = list(headers)
    if form == "signature":
        out.append(("Signature", value))
    else:
        out.append(("Authorization", f"Signature {value}"))
    if mutate:
        out = mutate(out)
    return raw(method, target, out, body if method != "GET" else b"")


# ---------------------------------------------------------------------------------------------
# RFC 9421
# ---------------------------------------------------------------------------------------------
def sf_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def component_value(comp, method, url, headers):
    """comp = (name, params dict) -> value string, per RFC 9421 §2."""
    name, cparams = comp
    u = urlsplit(url)
    if name == "@method":
        return method
    if name == "@target-uri":
        return url
    if name == "@authority":
        return u.netloc.lower()
    if name == "@scheme":
        return u.scheme
    if name == "@path":
        return u.path or "/"
    if name == "@query":
        return "?" + u.query
    if name == "@request-target":
        return (u.path or "/") + (f"?{u.query}" if u.query else "")
    if name == "@query-param":
        vals = [v for k, v in parse_qsl(u.query, keep_blank_values=True) if k == cparams["name"]]
        return quote(vals[0], safe="")
    if name.startswith("@"):
        return "unknown"  # a signer that does not know the name; the verifier must refuse it
    return field(headers, name)


def comp_id(comp):
    name, cparams = comp
    return sf_str(name) + "".join(
        f";{k}" if v is True else f";{k}={sf_str(v) if isinstance(v, str) else v}" for k, v in cparams.items())


def sig_params_text(components, params):
    inner = "(" + " ".join(comp_id(c) for c in components) + ")"
    for k, v in params:
        inner += f";{k}={sf_str(v) if isinstance(v, str) else v}" if v is not True else f";{k}"
    return inner


def rfc9421_sig(method, url, headers, components, params, key, sign_alg):
    lines = [f"{comp_id(c)}: {component_value(c, method, url, headers)}" for c in components]
    inner = sig_params_text(components, params)
    lines.append(f'"@signature-params": {inner}')
    base = "\n".join(lines).encode("utf-8")
    return inner, b64(sign(key, sign_alg, base))


def C(*names):
    return [(n, {}) for n in names]


POST_COMPS = C("@method", "@target-uri", "content-digest", "content-type")
GET_COMPS = C("@method", "@target-uri")


def content_digest(body, alg="sha-256"):
    h = hashlib.sha256(body) if alg == "sha-256" else hashlib.sha512(body)
    return f"{alg}=:{b64(h.digest())}:"


def r9_post_headers(body=MOVE, digest=None, date=NOW):
    return [("Host", HOST), ("Date", http_date(date)), ("Content-Digest", digest or content_digest(body)),
            ("Content-Type", "application/activity+json")]


def rfc9421(method="POST", target=INBOX, headers=None, body=MOVE, *, key=ED, sign_alg="ed25519",
            key_id=ED_KEY_ID, alg="ed25519", components=None, created=NOW, expires=None, extra=None, label="sig1",
            signed_body_headers=None, mutate=None, params=None):
    if headers is None:
        headers = r9_post_headers(body) if method == "POST" else get_headers()
    if components is None:
        components = POST_COMPS if method == "POST" else GET_COMPS
    if params is None:
        params = []
        if created is not None:
            params.append(("created", created))
        if expires is not None:
            params.append(("expires", expires))
        params.append(("keyid", key_id))
        if alg is not None:
            params.append(("alg", alg))
        params += extra or []
    url = f"https://{HOST}{target}"
    inner, sig = rfc9421_sig(method, url, signed_body_headers or headers, components, params, key, sign_alg)
    out = list(headers) + [("Signature-Input", f"{label}={inner}"), ("Signature", f"{label}=:{sig}:")]
    if mutate:
        out = mutate(out)
    return raw(method, target, out, body if method != "GET" else b"")


# ---------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------
NOTES = {
    "Baseline": "A well-formed request that real servers send; must verify.",
    "AlgorithmConfusion": "The message names an algorithm that contradicts the key (spec §5 rule 1; cavage §2.1.3/§2.5, RFC 9421 §3.2 step 6, §7.3.6).",
    "HmacWithPublicKey": "hmac-sha256 computed with the actor's public PEM as the secret (RFC 9421 §7.3.3 downgrade).",
    "KeySize": "RSA key below 2048 bits (spec §5 rule 2).",
    "MissingCoverage": "A component the policy requires is not covered (spec §5 rule 3); reject before crypto.",
    "DigestTampering": "The body does not match its digest (spec §5 rule 4).",
    "WeakDigest": "Only weak/deprecated digest algorithms (SHA, MD5) are offered (RFC 9530 §6.6).",
    "UncoveredDigest": "A correct digest header is present but not covered by the signature.",
    "DigestList": "Several digest entries; one strong match suffices, unknown labels are ignored.",
    "BodyLimit": "The body exceeds the policy limit, checked before hashing (test field maxBody overrides the limit).",
    "ReplayWindow": "created / Date outside the window, expires passed, expires < created (spec §5 rule 5).",
    "MalformedTime": "Unparseable or out-of-range time values must be an error, never a panic or a silent skip.",
    "Lenient": "Accepted only by the mastodon() profile (result acceptable).",
    "DuplicateParameter": "A parameter or label occurs twice (cavage §2.2 MUST NOT process).",
    "DuplicateComponent": "A component identifier occurs twice (RFC 9421 §2.5).",
    "NonAscii": "A covered value contains non-ASCII bytes (RFC 9421 §2.5 step 4).",
    "KeyIdOrigin": "The key id lives on another host than the actor (spec §5 rule 6; CVE-2024-23832 class). The resolver knows only the key ids the actor document lists (key.keyId), so this key id must not resolve: unknown_key, and no crypto is attempted.",
    "WrongRequestTarget": "The signature covers a different request target / method / header value.",
    "HeaderCase": "Field names in odd case on the wire; names are case-insensitive.",
    "AuthorizationForm": "The cavage `Authorization: Signature …` form.",
    "MultipleSignatures": "Several signatures; the one whose keyid resolves is selected (labels carry no meaning, RFC 9421 §7.2.5).",
    "ParserHardening": "Malformed structured fields and auth-params (spec §5 rule 8, RFC 9421 §7.5.3).",
    "WrongKey": "Signed by a different key than the one the key id resolves to.",
    "Rfc9421": "RFC 9421 Signature-Input / Signature.",
    "Cavage": "draft-cavage-12 Signature header.",
}

rsa_tests, ed_tests, small_tests = [], [], []


def T(bucket, comment, flags, request, result, error_kind=None, **extra):
    t = {"comment": comment, "flags": flags, "request": request, "now": NOW, "result": result}
    if error_kind:
        t["errorKind"] = error_kind
    t.update(extra)
    bucket.append(t)


# --- baselines (RSA, cavage + RFC 9421) -------------------------------------------------------
T(rsa_tests, "Mastodon-style POST, rsa-sha256, (request-target) host date digest content-type", ["Baseline", "Cavage"], cavage(), "valid")
T(rsa_tests, "same with algorithm=hs2019 (network meaning: PKCS#1 v1.5 SHA-256)", ["Baseline", "Cavage"], cavage(algorithm="hs2019"), "valid")
T(rsa_tests, "no algorithm parameter: the algorithm comes from the key", ["Baseline", "Cavage"], cavage(algorithm=None), "valid")
T(rsa_tests, "GET (request-target) host date accept", ["Baseline", "Cavage"],
  cavage("GET", "/users/bob", covered=["(request-target)", "host", "date", "accept"]), "valid")
T(rsa_tests, "signed headers listed in an order different from the wire order", ["Baseline", "Cavage"],
  cavage(covered=["date", "(request-target)", "content-type", "digest", "host"]), "valid")
T(rsa_tests, "field names in odd case on the wire (hOsT, DATE, dIgEsT)", ["HeaderCase", "Cavage"],
  cavage(headers=[("hOsT", HOST), ("DATE", http_date(NOW)), ("dIgEsT", sha256_digest(MOVE)), ("content-TYPE", "application/activity+json")]), "valid")
T(rsa_tests, "Authorization: Signature form", ["AuthorizationForm", "Cavage"], cavage(form="authorization"), "valid")
T(rsa_tests, "hs2019 with (created) instead of date", ["Baseline", "Cavage"],
  cavage(algorithm="hs2019", created=NOW, covered=["(request-target)", "(created)", "host", "digest"]), "valid")
T(rsa_tests, "Digest list SHA-256 + SHA-512, both correct", ["DigestList", "Cavage"],
  cavage(headers=post_headers(digest=f"{sha256_digest(MOVE)},SHA-512={b64(hashlib.sha512(MOVE).digest())}")), "valid")
T(rsa_tests, "Digest with lower-case algorithm token sha-256", ["DigestList", "Cavage"],
  cavage(headers=post_headers(digest=f"sha-256={b64(hashlib.sha256(MOVE).digest())}")), "valid")
T(rsa_tests, "Digest with an unknown label before a correct SHA-256", ["DigestList", "Cavage"],
  cavage(headers=post_headers(digest=f"X-Unknown=abc,{sha256_digest(MOVE)}")), "valid")
T(rsa_tests, "Digest SHA-512 only (strong)", ["DigestList", "Cavage"],
  cavage(headers=post_headers(digest=f"SHA-512={b64(hashlib.sha512(MOVE).digest())}")), "valid")
T(rsa_tests, "RFC 9421 rsa-v1_5-sha256 POST", ["Baseline", "Rfc9421"],
  rfc9421(key=RSA, sign_alg="rsa-v1_5-sha256", key_id=RSA_KEY_ID, alg="rsa-v1_5-sha256"), "valid")
T(rsa_tests, "RFC 9421 rsa-v1_5-sha256 without alg parameter", ["Baseline", "Rfc9421"],
  rfc9421(key=RSA, sign_alg="rsa-v1_5-sha256", key_id=RSA_KEY_ID, alg=None), "valid")

T(rsa_tests, "GET with a query, (request-target) signed over the path only (Fedify, Misskey, Mastodon < 4.3)", ["Lenient", "WrongRequestTarget", "Cavage"],
  cavage("GET", "/users/bob?page=2", covered=["(request-target)", "host", "date", "accept"], signed_target="/users/bob"),
  "acceptable", "bad_signature")

# --- rule 1: algorithm confusion --------------------------------------------------------------
T(rsa_tests, "cavage algorithm=hmac-sha256, HMAC keyed with the actor's public PEM", ["AlgorithmConfusion", "HmacWithPublicKey", "Cavage"],
  cavage(key=RSA_PUB_PEM.encode(), sign_alg="hmac-sha256", algorithm="hmac-sha256"), "invalid", "unsupported_algorithm")
T(rsa_tests, "RFC 9421 alg=hmac-sha256, HMAC keyed with the actor's public PEM", ["AlgorithmConfusion", "HmacWithPublicKey", "Rfc9421"],
  rfc9421(key=RSA_PUB_PEM.encode(), sign_alg="hmac-sha256", key_id=RSA_KEY_ID, alg="hmac-sha256"), "invalid", "algorithm_mismatch")
T(rsa_tests, "RFC 9421 alg=rsa-pss-sha512 (PSS signature) on a key pinned to PKCS#1 v1.5", ["AlgorithmConfusion", "Rfc9421"],
  rfc9421(key=RSA, sign_alg="rsa-pss-sha512", key_id=RSA_KEY_ID, alg="rsa-pss-sha512"), "invalid", "algorithm_mismatch")
T(rsa_tests, "RFC 9421 alg=ed25519 on an RSA key", ["AlgorithmConfusion", "Rfc9421"],
  rfc9421(key=RSA, sign_alg="rsa-v1_5-sha256", key_id=RSA_KEY_ID, alg="ed25519"), "invalid", "algorithm_mismatch")
T(rsa_tests, "cavage algorithm=ecdsa-sha256 on an RSA key", ["AlgorithmConfusion", "Cavage"],
  cavage(algorithm="ecdsa-sha256"), "invalid", "algorithm_mismatch")
T(rsa_tests, "cavage hs2019 with an RSA-PSS SHA-512 signature (the spec's meaning, not the network's)", ["AlgorithmConfusion", "Cavage"],
  cavage(algorithm="hs2019", sign_alg="rsa-pss-sha512"), "invalid", "bad_signature")
T(ed_tests, "cavage algorithm=rsa-sha256 on an Ed25519 key (Ed25519 signature)", ["AlgorithmConfusion", "Cavage"],
  cavage(key=ED, sign_alg="ed25519", key_id=ED_KEY_ID, algorithm="rsa-sha256"), "invalid", "algorithm_mismatch")
T(ed_tests, "RFC 9421 alg=rsa-v1_5-sha256 on an Ed25519 key", ["AlgorithmConfusion", "Rfc9421"],
  rfc9421(alg="rsa-v1_5-sha256"), "invalid", "algorithm_mismatch")

# --- rule 2: key size -------------------------------------------------------------------------
T(small_tests, "RSA-1024 key, otherwise perfect cavage request", ["KeySize", "Cavage"], cavage(key=RSA_1024), "invalid", "key_too_small")
T(small_tests, "RSA-1024 key, RFC 9421", ["KeySize", "Rfc9421"],
  rfc9421(key=RSA_1024, sign_alg="rsa-v1_5-sha256", key_id=RSA_KEY_ID, alg="rsa-v1_5-sha256"), "invalid", "key_too_small")

# --- rule 3: minimum coverage -----------------------------------------------------------------
T(rsa_tests, "GET signed without host", ["MissingCoverage", "Cavage"],
  cavage("GET", "/users/bob", covered=["(request-target)", "date", "accept"]), "invalid", "insufficient_coverage")
T(rsa_tests, "POST whose headers omit digest although a correct Digest is present", ["MissingCoverage", "UncoveredDigest", "Cavage"],
  cavage(covered=["(request-target)", "host", "date", "content-type"]), "invalid", "insufficient_coverage")
T(rsa_tests, "POST without any Digest header and no digest covered", ["MissingCoverage", "Cavage"],
  cavage(headers=[("Host", HOST), ("Date", http_date(NOW)), ("Content-Type", "application/activity+json")],
         covered=["(request-target)", "host", "date", "content-type"]), "invalid", "insufficient_coverage")
T(rsa_tests, "headers=\"date\" only (C.1 style)", ["MissingCoverage", "Cavage"], cavage(covered=["date"]), "invalid", "insufficient_coverage")
T(rsa_tests, "no headers parameter (default (created) under -12; date for rsa-sha256 in older drafts)", ["MissingCoverage", "Cavage"],
  cavage(covered=["date"], params=[("keyId", f'"{RSA_KEY_ID}"'), ("algorithm", '"rsa-sha256"'), ("signature", '"{sig}"')]),
  "invalid", "insufficient_coverage")
T(rsa_tests, "neither date nor (created) covered", ["MissingCoverage", "Cavage"],
  cavage(covered=["(request-target)", "host", "digest", "content-type"]), "invalid", "insufficient_coverage")
T(rsa_tests, "(request-target) not covered but digest is (Mastodon: \"(request-target) or digest\"); strict requires it", ["MissingCoverage", "Lenient", "Cavage"],
  cavage(covered=["host", "date", "digest", "content-type"]), "acceptable", "insufficient_coverage")
T(rsa_tests, "GET with neither (request-target) nor digest covered", ["MissingCoverage", "Cavage"],
  cavage("GET", "/users/bob", covered=["host", "date", "accept"]), "invalid", "insufficient_coverage")
T(ed_tests, "RFC 9421 empty component list (B.2.1 style): verifies cryptographically, fails policy", ["MissingCoverage", "Rfc9421"],
  rfc9421(components=[]), "invalid", "insufficient_coverage")
T(ed_tests, "RFC 9421 POST without content-digest covered (header present and correct)", ["MissingCoverage", "UncoveredDigest", "Rfc9421"],
  rfc9421(components=C("@method", "@target-uri", "content-type")), "invalid", "insufficient_coverage")
T(ed_tests, "RFC 9421 GET without @method", ["MissingCoverage", "Rfc9421"],
  rfc9421("GET", "/users/bob", components=C("@target-uri")), "invalid", "insufficient_coverage")
T(ed_tests, "RFC 9421 without created parameter", ["MissingCoverage", "Rfc9421"], rfc9421(created=None), "invalid", "missing_parameter")
T(ed_tests, "RFC 9421 @authority + @path + @query instead of @target-uri", ["Baseline", "Rfc9421"],
  rfc9421("GET", "/users/bob?page=1", components=C("@method", "@authority", "@path", "@query")), "valid")

# --- rule 4: body integrity -------------------------------------------------------------------
flipped = bytearray(MOVE)
flipped[40] ^= 0x01
flipped = bytes(flipped)
T(rsa_tests, "body byte flipped after signing (Digest of the original)", ["DigestTampering", "Cavage"],
  cavage(headers=post_headers(digest=sha256_digest(MOVE)), body=flipped), "invalid", "digest_mismatch")
T(rsa_tests, "Digest: SHA= (SHA-1) only, correct value", ["WeakDigest", "Cavage"],
  cavage(headers=post_headers(digest=f"SHA={b64(hashlib.sha1(MOVE).digest())}")), "invalid", "weak_digest")
T(rsa_tests, "Digest: MD5= only, correct value", ["WeakDigest", "Cavage"],
  cavage(headers=post_headers(digest=f"MD5={b64(hashlib.md5(MOVE).digest())}")), "invalid", "weak_digest")
T(rsa_tests, "Digest list SHA-256 wrong + SHA-512 correct: a present strong entry that mismatches is tampering", ["DigestList", "DigestTampering", "Cavage"],
  cavage(headers=post_headers(digest=f"SHA-256={b64(hashlib.sha256(b'x').digest())},SHA-512={b64(hashlib.sha512(MOVE).digest())}")),
  "invalid", "digest_mismatch")
T(rsa_tests, "digest covered but the Digest header is absent", ["MissingCoverage", "Cavage"],
  cavage(headers=[("Host", HOST), ("Date", http_date(NOW)), ("Content-Type", "application/activity+json")],
         signed_headers=post_headers()), "invalid", "missing_component")
T(rsa_tests, "Digest value is not base64", ["DigestTampering", "ParserHardening", "Cavage"],
  cavage(headers=post_headers(digest="SHA-256=!!!not-base64!!!")), "invalid", "malformed_header")
T(rsa_tests, "body larger than the policy limit (maxBody = 256 bytes for this case)", ["BodyLimit", "Cavage"],
  cavage(), "invalid", "body_too_large", maxBody=256)
T(ed_tests, "RFC 9421 Content-Digest of the original, body byte flipped", ["DigestTampering", "Rfc9421"],
  rfc9421(headers=r9_post_headers(digest=content_digest(MOVE)), body=flipped), "invalid", "digest_mismatch")
T(ed_tests, "RFC 9421 Content-Digest sha-512 (strong)", ["DigestList", "Rfc9421"],
  rfc9421(headers=r9_post_headers(digest=content_digest(MOVE, "sha-512"))), "valid")
T(ed_tests, "RFC 9421 Content-Digest sha-256 + sha-512 list", ["DigestList", "Rfc9421"],
  rfc9421(headers=r9_post_headers(digest=content_digest(MOVE) + ", " + content_digest(MOVE, "sha-512"))), "valid")
T(ed_tests, "RFC 9421 Content-Digest md5 only", ["WeakDigest", "Rfc9421"],
  rfc9421(headers=r9_post_headers(digest=f"md5=:{b64(hashlib.md5(MOVE).digest())}:")), "invalid", "weak_digest")
T(ed_tests, "RFC 9421 Content-Digest sha (SHA-1) only", ["WeakDigest", "Rfc9421"],
  rfc9421(headers=r9_post_headers(digest=f"sha=:{b64(hashlib.sha1(MOVE).digest())}:")), "invalid", "weak_digest")

# --- rule 5: replay window --------------------------------------------------------------------
T(rsa_tests, "Date 2 h old", ["ReplayWindow", "Cavage"], cavage(headers=post_headers(date=NOW + STALE)), "invalid", "expired")
T(rsa_tests, "Date 2 h in the future", ["ReplayWindow", "Cavage"], cavage(headers=post_headers(date=NOW + FUTURE)), "invalid", "created_in_future")
T(rsa_tests, "malformed Date (covered) must be an error, not skipped", ["MalformedTime", "Cavage"],
  cavage(headers=[("Host", HOST), ("Date", "yesterday"), ("Digest", sha256_digest(MOVE)), ("Content-Type", "application/activity+json")]),
  "invalid", "malformed_header")
T(rsa_tests, "Date 30 min old: inside Mastodon's window, outside strict", ["ReplayWindow", "Lenient", "Cavage"],
  cavage(headers=post_headers(date=NOW + LENIENT_OLD)), "acceptable", "expired")
T(rsa_tests, "Date 10 min ahead: inside Mastodon's skew, outside strict", ["ReplayWindow", "Lenient", "Cavage"],
  cavage(headers=post_headers(date=NOW + LENIENT_AHEAD)), "acceptable", "created_in_future")
T(rsa_tests, "hs2019 (created) 2 h old", ["ReplayWindow", "Cavage"],
  cavage(algorithm="hs2019", created=NOW + STALE, covered=["(request-target)", "(created)", "host", "digest"]), "invalid", "expired")
T(rsa_tests, "hs2019 (created) 2 h in the future", ["ReplayWindow", "Cavage"],
  cavage(algorithm="hs2019", created=NOW + FUTURE, covered=["(request-target)", "(created)", "host", "digest"]), "invalid", "created_in_future")
T(rsa_tests, "hs2019 (expires) 60 s in the past: inside Mastodon's 1 h grace, expired for strict", ["ReplayWindow", "Lenient", "Cavage"],
  cavage(algorithm="hs2019", created=NOW - 120, expires=NOW - 60, covered=["(request-target)", "(created)", "(expires)", "host", "digest"]),
  "acceptable", "expired")
T(rsa_tests, "hs2019 (expires) 2 h in the past", ["ReplayWindow", "Cavage"],
  cavage(algorithm="hs2019", created=NOW - 7500, expires=NOW - 7200, covered=["(request-target)", "(created)", "(expires)", "host", "digest"]),
  "invalid", "expired")
T(rsa_tests, "(created) with algorithm=rsa-sha256 (cavage §2.3: MUST error)", ["ParserHardening", "Cavage"],
  cavage(algorithm="rsa-sha256", created=NOW, covered=["(request-target)", "(created)", "host", "digest"]), "invalid", "invalid_component")
T(rsa_tests, "hs2019 negative created", ["MalformedTime", "Cavage"],
  cavage(algorithm="hs2019", created=-1, covered=["(request-target)", "(created)", "host", "date", "digest"]), "invalid", "invalid_parameter")
T(rsa_tests, "hs2019 16-digit created", ["MalformedTime", "Cavage"],
  cavage(algorithm="hs2019", created=1764547200000000, covered=["(request-target)", "(created)", "host", "date", "digest"]), "invalid", "invalid_parameter")
T(ed_tests, "RFC 9421 created 2 h old", ["ReplayWindow", "Rfc9421"], rfc9421(created=NOW + STALE), "invalid", "expired")
T(ed_tests, "RFC 9421 created 2 h in the future", ["ReplayWindow", "Rfc9421"], rfc9421(created=NOW + FUTURE), "invalid", "created_in_future")
T(ed_tests, "RFC 9421 expires 60 s in the past: inside Mastodon's 1 h grace, expired for strict", ["ReplayWindow", "Lenient", "Rfc9421"],
  rfc9421(created=NOW - 120, expires=NOW - 60), "acceptable", "expired")
T(ed_tests, "RFC 9421 expires 2 h in the past", ["ReplayWindow", "Rfc9421"], rfc9421(created=NOW - 7500, expires=NOW - 7200), "invalid", "expired")
T(ed_tests, "RFC 9421 expires before created", ["ReplayWindow", "Rfc9421"], rfc9421(created=NOW, expires=NOW - 10), "invalid", "expires_before_created")
T(ed_tests, "RFC 9421 negative created", ["MalformedTime", "Rfc9421"], rfc9421(created=-1), "invalid", "invalid_parameter")
T(ed_tests, "RFC 9421 16-digit created (sf-integer allows at most 15 digits)", ["MalformedTime", "ParserHardening", "Rfc9421"],
  rfc9421(created=1764547200000000), "invalid", "malformed_header")
T(ed_tests, "RFC 9421 created as a string", ["MalformedTime", "Rfc9421"],
  rfc9421(params=[("created", str(NOW)), ("keyid", ED_KEY_ID), ("alg", "ed25519")]), "invalid", "invalid_parameter")

# --- rule 6: key id origin --------------------------------------------------------------------
T(rsa_tests, "keyId on evil.example while the actor is on remote.example", ["KeyIdOrigin", "Cavage"],
  cavage(key_id="https://evil.example/users/alice#main-key"), "invalid", "unknown_key", keyId="https://evil.example/users/alice#main-key")
T(ed_tests, "RFC 9421 keyid on evil.example while the actor is on remote.example", ["KeyIdOrigin", "Rfc9421"],
  rfc9421(key_id="https://evil.example/users/alice#ed25519-key"), "invalid", "unknown_key", keyId="https://evil.example/users/alice#ed25519-key")

# --- rule 8: parser hardening -----------------------------------------------------------------
def dup_param(name, value):
    def m(hs):
        return [(n, v + f",{name}={value}" if n == "Signature" else v) for n, v in hs]
    return m


T(rsa_tests, "duplicate keyId parameter", ["DuplicateParameter", "Cavage"],
  cavage(mutate=dup_param("keyId", '"https://evil.example/users/mallory#main-key"')), "invalid", "duplicate_parameter")
T(rsa_tests, "duplicate headers parameter (second one weaker)", ["DuplicateParameter", "Cavage"],
  cavage(mutate=dup_param("headers", '"date"')), "invalid", "duplicate_parameter")
T(rsa_tests, "duplicate signature parameter", ["DuplicateParameter", "Cavage"],
  cavage(mutate=dup_param("signature", '"AAAA"')), "invalid", "duplicate_parameter")
T(rsa_tests, "missing keyId", ["ParserHardening", "Cavage"],
  cavage(params=[("algorithm", '"rsa-sha256"'), ("headers", '"' + " ".join(MASTODON_HEADERS) + '"'), ("signature", '"{sig}"')]),
  "invalid", "missing_parameter")
T(rsa_tests, "missing signature parameter", ["ParserHardening", "Cavage"],
  cavage(params=[("keyId", f'"{RSA_KEY_ID}"'), ("algorithm", '"rsa-sha256"'), ("headers", '"' + " ".join(MASTODON_HEADERS) + '"')]),
  "invalid", "missing_parameter")
T(rsa_tests, "signature parameter is not base64", ["ParserHardening", "Cavage"],
  cavage(params=[("keyId", f'"{RSA_KEY_ID}"'), ("algorithm", '"rsa-sha256"'), ("headers", '"' + " ".join(MASTODON_HEADERS) + '"'), ("signature", '"@@@"')]),
  "invalid", "invalid_parameter")
T(rsa_tests, "zero-length headers parameter", ["ParserHardening", "MissingCoverage", "Cavage"],
  cavage(params=[("keyId", f'"{RSA_KEY_ID}"'), ("algorithm", '"rsa-sha256"'), ("headers", '""'), ("signature", '"{sig}"')]),
  "invalid", "invalid_parameter")
T(rsa_tests, "headers lists a header that is not sent", ["ParserHardening", "Cavage"],
  cavage(covered=MASTODON_HEADERS + ["x-missing"], signed_headers=post_headers() + [("X-Missing", "v")]), "invalid", "missing_component")
T(rsa_tests, "unterminated quoted string in Signature", ["ParserHardening", "Cavage"],
  cavage(mutate=lambda hs: [(n, v[:-1] if n == "Signature" else v) for n, v in hs]), "invalid", "malformed_header")
T(ed_tests, "duplicate component identifier in Signature-Input", ["DuplicateComponent", "Rfc9421"],
  rfc9421(components=C("@method", "@target-uri", "content-digest", "content-type", "@method")), "invalid", "invalid_component")
T(ed_tests, "duplicate label across two Signature-Input lines", ["DuplicateParameter", "Rfc9421"],
  rfc9421(mutate=lambda hs: hs + [(n, v) for n, v in hs if n == "Signature-Input"]), "invalid", "duplicate_parameter")
T(ed_tests, "non-ASCII (UTF-8 é) in a covered header value", ["NonAscii", "Rfc9421"],
  rfc9421(components=C("@method", "@target-uri", "content-digest", "content-type", "x-note"),
          headers=r9_post_headers() + [("X-Note", "café")]), "invalid", "invalid_component")
T(ed_tests, "unknown derived component @foo", ["ParserHardening", "Rfc9421"],
  rfc9421(components=C("@method", "@target-uri", "content-digest", "@foo")), "invalid", "invalid_component")
T(ed_tests, "@status in a request signature", ["ParserHardening", "Rfc9421"],
  rfc9421(components=C("@method", "@target-uri", "content-digest", "@status")), "invalid", "invalid_component")
T(ed_tests, "req parameter on a request component", ["ParserHardening", "Rfc9421"],
  rfc9421(components=POST_COMPS + [("@authority", {"req": True})]), "invalid", "invalid_component")
T(ed_tests, "unclosed quote in Signature-Input (RFC 9421 §7.5.3 base-line injection)", ["ParserHardening", "Rfc9421"],
  rfc9421(mutate=lambda hs: [(n, v.replace('"@method"', '"@method') if n == "Signature-Input" else v) for n, v in hs]), "invalid", "malformed_header")
T(ed_tests, "Signature-Input label without a Signature member", ["ParserHardening", "Rfc9421"],
  rfc9421(mutate=lambda hs: [(n, v.replace("sig1=", "other=") if n == "Signature" else v) for n, v in hs]), "invalid", "no_matching_signature")
T(ed_tests, "Signature-Input present, Signature header absent", ["ParserHardening", "Rfc9421"],
  rfc9421(mutate=lambda hs: [(n, v) for n, v in hs if n != "Signature"]), "invalid", "missing_header")
T(ed_tests, "Signature member is a string, not a byte sequence", ["ParserHardening", "Rfc9421"],
  rfc9421(mutate=lambda hs: [(n, 'sig1="AAAA"' if n == "Signature" else v) for n, v in hs]), "invalid", "malformed_header")

# --- tampering / wrong target / wrong key -----------------------------------------------------
T(rsa_tests, "signature over a different (request-target) (post /users/carol/inbox)", ["WrongRequestTarget", "Cavage"],
  cavage(signed_target="/users/carol/inbox"), "invalid", "bad_signature")
T(rsa_tests, "signed as post, sent as PUT", ["WrongRequestTarget", "Cavage"],
  cavage().replace("POST /users", "PUT /users", 1),
  "invalid", "bad_signature")
T(rsa_tests, "signed Host differs from the sent Host", ["WrongRequestTarget", "Cavage"],
  cavage(signed_headers=[("Host", "other.example")] + post_headers()[1:]), "invalid", "bad_signature")
T(rsa_tests, "signed by another RSA-2048 key", ["WrongKey", "Cavage"], cavage(key=RSA_OTHER), "invalid", "bad_signature")
T(rsa_tests, "RFC 9421 signed by another RSA-2048 key", ["WrongKey", "Rfc9421"],
  rfc9421(key=RSA_OTHER, sign_alg="rsa-v1_5-sha256", key_id=RSA_KEY_ID, alg="rsa-v1_5-sha256"), "invalid", "bad_signature")
T(ed_tests, "RFC 9421 @target-uri signed for another path", ["WrongRequestTarget", "Rfc9421"],
  rfc9421().replace(f"POST {INBOX}", "POST /users/carol/inbox", 1), "invalid", "bad_signature")

# --- Ed25519 baselines and rule 10 (labels / several signatures) ------------------------------
T(ed_tests, "RFC 9421 ed25519 POST, Mastodon-style components", ["Baseline", "Rfc9421"], rfc9421(), "valid")
T(ed_tests, "RFC 9421 ed25519 GET", ["Baseline", "Rfc9421"], rfc9421("GET", "/users/bob"), "valid")
T(ed_tests, "RFC 9421 ed25519 without alg", ["Baseline", "Rfc9421"], rfc9421(alg=None), "valid")
T(ed_tests, "cavage hs2019 with an Ed25519 key (Misskey-fork rule)", ["Baseline", "Cavage"],
  cavage(key=ED, sign_alg="ed25519", key_id=ED_KEY_ID, algorithm="hs2019"), "valid")


def two_sigs(first_good: bool):
    """Two labels: `proxy` (a key id we cannot resolve, garbage signature) and `sig1` (good)."""
    good = rfc9421(label="sig1")
    head, _, body = good.partition("\r\n\r\n")
    lines = head.split("\r\n")
    url = f"https://{HOST}{INBOX}"
    hdrs = r9_post_headers()
    inner, sig = rfc9421_sig("POST", url, hdrs, POST_COMPS, [("created", NOW), ("keyid", "https://proxy.example/key"), ("alg", "ed25519")], ED, "ed25519")
    bad_sig = b64(bytes(64))
    out = []
    for ln in lines:
        if ln.startswith("Signature-Input: "):
            out.append(f"Signature-Input: proxy={inner}, {ln[len('Signature-Input: '):]}" if not first_good else f"{ln}, proxy={inner}")
        elif ln.startswith("Signature: "):
            out.append(f"Signature: proxy=:{bad_sig}:, {ln[len('Signature: '):]}" if not first_good else f"{ln}, proxy=:{bad_sig}:")
        else:
            out.append(ln)
    return "\r\n".join(out) + "\r\n\r\n" + body


T(ed_tests, "two signatures; the proxy's keyid is unknown, sig1 (listed second) is selected by keyid", ["MultipleSignatures", "Rfc9421"], two_sigs(False), "valid")
T(ed_tests, "two signatures; the good one listed first", ["MultipleSignatures", "Rfc9421"], two_sigs(True), "valid")
T(ed_tests, "Signature-Input and Signature split over two field lines each", ["MultipleSignatures", "Rfc9421"],
  rfc9421(mutate=lambda hs: [h for h in hs if h[0] not in ("Signature-Input", "Signature")]
          + [("Signature-Input", "unused=(\"@method\");created=%d;keyid=\"https://proxy.example/key\"" % NOW)]
          + [h for h in hs if h[0] == "Signature-Input"]
          + [("Signature", "unused=:%s:" % b64(bytes(64)))]
          + [h for h in hs if h[0] == "Signature"]), "valid")


def group(key_pem_file, key_type, bits, key_id, policy, tests):
    return {
        "key": {"type": key_type, "bits": bits, "keyId": key_id, "actor": ACTOR,
                "file": f"interop/keys/{key_pem_file}", "publicKeyPem": (KEYS / key_pem_file).read_text()},
        "policy": policy,
        "tests": tests,
    }


def build():
    groups = []
    for policy in ("mastodon", "strict"):
        for key_file, ktype, bits, kid, tests in (
            ("rsa-2048.pub.pem", "rsa", 2048, RSA_KEY_ID, rsa_tests),
            ("ed25519.pub.pem", "ed25519", 256, ED_KEY_ID, ed_tests),
            ("rsa-1024.pub.pem", "rsa", 1024, RSA_KEY_ID, small_tests),
        ):
            # acceptable cases appear once, in the mastodon group (the runner checks both profiles)
            chosen = [dict(t) for t in tests if policy == "mastodon" or t["result"] != "acceptable"]
            groups.append(group(key_file, ktype, bits, kid, policy, chosen))
    tc = 0
    for g in groups:
        for t in g["tests"]:
            tc += 1
            t["tcId"] = tc
            t.setdefault("keyId", g["key"]["keyId"])
            # stable key order: tcId first
            g["tests"][g["tests"].index(t)] = {"tcId": tc, **{k: v for k, v in t.items() if k != "tcId"}}
    used = sorted({f for g in groups for t in g["tests"] for f in t["flags"]})
    missing = [f for f in used if f not in NOTES]
    if missing:
        raise SystemExit(f"flags without notes: {missing}")
    return {
        "algorithm": "HTTP-Signatures (draft-cavage-12, RFC 9421) + Digest / Content-Digest",
        "generatorVersion": "http-signatures/interop/gen_hostile.py 1",
        "header": [
            "Hostile cases for the http-signatures crate, one per rule of spec/http-signatures.md §5 (and more).",
            "result: valid = verifies under the group's policy; invalid = fails with errorKind (Error::kind());",
            "acceptable = verifies under VerifyPolicy::mastodon() and fails under VerifyPolicy::strict() with errorKind.",
            "request is a raw HTTP/1.1 request (CRLF); scheme https; now = verifier clock in Unix seconds;",
            "keyId = the key id in the request; key.actor = the actor the request claims to come from;",
            "maxBody (optional) overrides the policy's body limit for that case.",
        ],
        "numberOfTests": tc,
        "notes": {f: NOTES[f] for f in used},
        "testGroups": groups,
    }


if __name__ == "__main__":
    doc = build()
    OUT.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {OUT} with {doc['numberOfTests']} tests")
