//! The persona graph (spec `identity-links.md` §1.1 FEP-7628 "Linked actors", §4.3).
//!
//! Nodes are actors, DIDs and websites; [`Evidence`] says how they relate. Some evidence links
//! two nodes on its own because both ends stated it (a verified FEP-c390 identity proof:
//! actor ↔ DID; a rel-me link verified both ways: actor ↔ site). An `alsoKnownAs` claim is
//! one-way — anyone can claim anyone — and links two actors only when **confirmed** by the
//! other side: the reverse claim, the other actor's `movedTo`, or its authenticated `Move`:
//!
//! `AkaLinked(a, b)` ⟺ `AkaClaim(b → a)` ∧ (`AkaClaim(a → b)` ∨ `MovedTo(a → b)` ∨ `MoveSeen(a → b)`).
//!
//! A persona is a connected component over these links (so two actors with proofs for the same
//! DID, or verified rel-me to the same site, are one persona, as FEP-7628 says), computed with
//! union–find over interned integer ids. Each [`Persona`] carries a spanning explanation (the
//! evidence of every link that joined it), its primary actor (the member without `movedTo`),
//! and everything is sorted, so the output does not depend on the input order. A node with too
//! many confirmed links (a shared link page) merges nothing and is reported as a [`Hub`].
//! Unconfirmed claims are reported as [`PersonaGraph::declared`].
//!
//! Not implemented: Mitra's one-hop alias closure (`AkaClosure::OneHop` in the spec) — links
//! are transitive; evidence carries no `verified_at`/source metadata (callers keep that).
//!
//! ```
//! use identity_links::persona::{build, Evidence, GraphConfig, LinkReason, Node};
//!
//! let did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
//! let evidence = vec![
//!     Evidence::IdentityProof { actor: "https://a.example/users/alice".into(), did: did.into() },
//!     Evidence::IdentityProof { actor: "https://b.example/users/alice".into(), did: did.into() },
//!     // Claiming a DID in alsoKnownAs proves nothing without a proof.
//!     Evidence::AlsoKnownAs { from: "https://c.example/users/mallory".into(), to: did.into() },
//! ];
//! let graph = build(&evidence, &GraphConfig::default());
//! let persona = graph.persona_of(&Node::did(did)).unwrap();
//! assert_eq!(persona.actors().count(), 2);
//! assert!(persona.links.iter().all(|l| l.reason == LinkReason::IdentityProof));
//! assert!(graph.persona_of(&Node::actor("https://c.example/users/mallory")).unwrap().links.is_empty());
//! ```

mod build;
mod evidence;
mod from_actor;
mod union_find;

pub use build::{
    Confirmation, GraphConfig, Hub, Link, LinkReason, MAX_EVIDENCE, Persona, PersonaGraph, Primary,
    build,
};
pub use evidence::{Evidence, Node, NodeKind};
pub use from_actor::{ClaimsError, claims_from_actor};
