//! Shared helpers of the `signals_*` tests: a deterministic clock and randomness, an exporter
//! with a key and an actor document, and audit events.
#![allow(dead_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fep7628::MigrationId;
use fep7628::policy::{
    ArrivingFollower, AuditEvent, DomainBlockPolicy, MigrationPolicy, PolicyReason, Verdict,
    check_arriving_follower,
};
use fep7628::signals::*;
use identity_links::ed25519_dalek::SigningKey;
use identity_links::multikey::encode_ed25519_public;
use serde_json::{Value, json};

pub const ISSUER: &str = "https://mod.example/actor";
pub const KEY_ID: &str = "https://mod.example/actor#ed25519-key";
pub const T0: u64 = 1_764_547_200;

pub fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(T0 + secs)
}

/// A counter-based "random" source: every id gets different bytes, reproducibly.
pub fn randomness() -> impl FnMut() -> [u8; 10] {
    let mut n: u64 = 0x1234_5678;
    move || {
        n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let b = n.to_be_bytes();
        [
            b[0],
            b[1],
            b[2],
            b[3],
            b[4],
            b[5],
            b[6],
            b[7],
            b[0] ^ 0x5a,
            b[1] ^ 0xa5,
        ]
    }
}

pub fn key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

pub fn actor_of(key: &SigningKey, id: &str, key_id: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/multikey/v1"],
        "id": id,
        "type": "Service",
        "assertionMethod": [{
            "id": key_id,
            "type": "Multikey",
            "controller": id,
            "publicKeyMultibase": encode_ed25519_public(&key.verifying_key()),
        }],
    })
}

pub fn actor() -> Value {
    actor_of(&key(), ISSUER, KEY_ID)
}

pub fn trusted() -> TrustedExporters {
    let mut t = TrustedExporters::new();
    t.trust_actor(actor()).expect("actor has an id");
    t
}

/// A policy that holds followers arriving from `farm.example` accounts for follower farming.
pub struct FarmingPolicy;

impl MigrationPolicy for FarmingPolicy {
    fn arriving_follower(&self, a: &ArrivingFollower<'_>) -> Verdict {
        if a.follower.contains("farm.example") {
            Verdict::Hold(vec![PolicyReason::Custom {
                code: "follower_farming".into(),
                detail: "moved-from account with recent moves".into(),
            }])
        } else {
            Verdict::Accept
        }
    }
}

pub fn arrival<P: MigrationPolicy>(policy: &P, follower: &str, secs: u64) -> AuditEvent {
    let mig = MigrationId::new("https://old.example/u/a", "https://new.example/u/a");
    let (_, event) = check_arriving_follower(
        policy,
        &ArrivingFollower::new(
            &mig,
            follower,
            "https://old.example/u/a",
            "https://new.example/u/a",
            at(secs),
        ),
    );
    event
}

pub fn blocks() -> DomainBlockPolicy {
    DomainBlockPolicy::new().with_block("spam.example")
}

pub fn sign(batch: &ChangeBatch, secs: u64) -> Value {
    batch.sign(&key(), KEY_ID, at(secs)).expect("sign")
}
