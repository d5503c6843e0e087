#!/usr/bin/env python3
"""Generate the fixed interop / hostile-corpus keys ONCE (they are committed).

Running it again overwrites the keys and invalidates every committed signature, so it refuses to
overwrite existing files unless --force is given.  Needs only `cryptography`.

Files written to ../testdata/interop/keys/:
  rsa-2048.{priv,pub}.pem   PKCS#8 private, SPKI public  (the actor key used everywhere)
  rsa-2048.pkcs1.pub.pem    the same public key as PKCS#1 (format coverage)
  rsa-2048.jwk.json         private JWK (Fedify imports JWK/PKCS#8; kept for other tools)
  ed25519.{priv,pub}.pem    PKCS#8 private, SPKI public
  ed25519.jwk.json          private OKP JWK
  rsa-1024.{priv,pub}.pem   a too-small key for the hostile corpus (RSA < 2048 must be rejected)
  rsa-2048-other.{priv,pub}.pem  a second RSA key (signature by the wrong key)
"""
import base64
import json
import pathlib
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

KEYS = pathlib.Path(__file__).resolve().parent.parent / "testdata" / "interop" / "keys"


def b64u(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def write(name: str, data: bytes) -> None:
    (KEYS / name).write_bytes(data)


def rsa_files(stem: str, bits: int) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    write(f"{stem}.priv.pem", key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    pub = key.public_key()
    write(f"{stem}.pub.pem", pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    if stem == "rsa-2048":
        write(f"{stem}.pkcs1.pub.pem", pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1))
        pn = key.private_numbers()
        jwk = {"kty": "RSA", "n": b64u(pn.public_numbers.n), "e": b64u(pn.public_numbers.e), "d": b64u(pn.d),
               "p": b64u(pn.p), "q": b64u(pn.q), "dp": b64u(pn.dmp1), "dq": b64u(pn.dmq1), "qi": b64u(pn.iqmp)}
        write(f"{stem}.jwk.json", (json.dumps(jwk) + "\n").encode())


def main() -> None:
    KEYS.mkdir(parents=True, exist_ok=True)
    if any(KEYS.glob("*.pem")) and "--force" not in sys.argv:
        sys.exit(f"keys already exist in {KEYS}; pass --force to regenerate (invalidates the corpora)")
    rsa_files("rsa-2048", 2048)
    rsa_files("rsa-2048-other", 2048)
    rsa_files("rsa-1024", 1024)
    ed = ed25519.Ed25519PrivateKey.generate()
    write("ed25519.priv.pem", ed.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    write("ed25519.pub.pem", ed.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    seed = ed.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    x = ed.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(x).rstrip(b"=").decode(),
           "d": base64.urlsafe_b64encode(seed).rstrip(b"=").decode()}
    write("ed25519.jwk.json", (json.dumps(jwk) + "\n").encode())
    print(f"wrote keys to {KEYS}")


if __name__ == "__main__":
    main()
