//! identity-links: arbitrary bytes parsed as I-JSON and verified as a FEP-8b32 proofed object
//! against a fixed actor, and as an actor carrying FEP-c390 identity proofs.
#![no_main]

use libfuzzer_sys::fuzz_target;

const ACTOR: &[u8] = br#"{"id": "https://a.example/users/alice", "type": "Person",
  "assertionMethod": [{"id": "https://a.example/users/alice#ed25519-key", "type": "Multikey",
  "controller": "https://a.example/users/alice",
  "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}]}"#;

fuzz_target!(|data: &[u8]| {
    let Ok(object) = identity_links::jcs::parse_strict(data) else {
        return;
    };
    let Ok(actor) = identity_links::jcs::parse_strict(ACTOR) else {
        return;
    };
    let _ = identity_links::jcs::canonicalize(&object);
    let _ = identity_links::verify_object(&object, &actor);
    if let Ok(pending) = identity_links::PendingObjectProof::new(&object) {
        let _ = pending.verify_with_key_document(&object, &actor);
        // The input as an actor: its keys prepared once must give what the document gives.
        let prepared = identity_links::ActorKeys::from_actor(&object)
            .and_then(|k| pending.verify_with_keys(&k));
        assert_eq!(prepared, pending.verify_with_actor(&object));
    }
    let _ = identity_links::verify_actor_identity_proofs(&object);
    let _ = identity_links::fep_c390::verify_statement_proof(&object);
});
