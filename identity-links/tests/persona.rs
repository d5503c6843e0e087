//! The persona graph: hostile alias graphs that must not merge, legitimate ones that must, with
//! the evidence that explains every link; determinism; primary actor; and property tests
//! against a naive reference.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use identity_links::persona::{
    Confirmation, Evidence, GraphConfig, Hub, LinkReason, Node, NodeKind, PersonaGraph, Primary,
    build,
};
use proptest::prelude::*;

fn actor(n: &str) -> String {
    format!("https://{n}.example/users/{n}")
}
fn aka(from: &str, to: &str) -> Evidence {
    Evidence::AlsoKnownAs {
        from: actor(from).into(),
        to: actor(to).into(),
    }
}
fn moved(from: &str, to: &str) -> Evidence {
    Evidence::MovedTo {
        from: actor(from).into(),
        to: actor(to).into(),
    }
}
fn seen(from: &str, to: &str) -> Evidence {
    Evidence::MoveSeen {
        from: actor(from).into(),
        to: actor(to).into(),
    }
}
fn proof(a: &str, did: &str) -> Evidence {
    Evidence::IdentityProof {
        actor: actor(a).into(),
        did: did.into(),
    }
}
fn relme(a: &str, site: &str) -> Evidence {
    Evidence::RelMe {
        actor: actor(a).into(),
        site: site.into(),
    }
}

fn graph(evidence: &[Evidence]) -> PersonaGraph {
    build(evidence, &GraphConfig::default())
}

/// The actor members of the persona containing `a`, as short names.
fn persona_actors(g: &PersonaGraph, a: &str) -> Vec<String> {
    let p = g
        .persona_of(&Node::actor(actor(a)))
        .expect("every actor has a persona");
    p.actors()
        .map(|id| {
            id.trim_start_matches("https://")
                .split('.')
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

#[test]
fn one_way_alias_claims_merge_nothing() {
    // mallory claims alice and bob; alice claims carol; nobody confirms.
    let ev = [
        aka("mallory", "alice"),
        aka("mallory", "bob"),
        aka("alice", "carol"),
    ];
    let g = graph(&ev);
    for n in ["mallory", "alice", "bob", "carol"] {
        assert_eq!(persona_actors(&g, n), [n], "{n} must stay alone");
    }
    let mut declared = ev.to_vec();
    declared.sort();
    assert_eq!(g.declared, declared);
}

#[test]
fn a_movedto_in_the_wrong_direction_does_not_confirm() {
    // alice claims bob and alice has movedTo bob: both statements are alice's, bob said nothing.
    let g = graph(&[aka("alice", "bob"), moved("alice", "bob")]);
    assert_eq!(persona_actors(&g, "alice"), ["alice"]);
    // A Move seen from mallory to alice, without alice claiming mallory, merges nothing.
    let g = graph(&[seen("mallory", "alice")]);
    assert_eq!(persona_actors(&g, "alice"), ["alice"]);
}

#[test]
fn a_shared_link_page_is_a_hub_and_merges_nothing() {
    let site = "https://links.example/";
    let mut ev: Vec<Evidence> = (0..20)
        .map(|i| relme(&format!("user{i:02}"), site))
        .collect();
    // Two people who really share a personal site still merge.
    ev.push(relme("alice", "https://alice.example/"));
    ev.push(relme("alice2", "https://alice.example/"));
    let g = graph(&ev);
    assert_eq!(
        g.hubs,
        [Hub {
            node: Node::site(site),
            confirmed_links: 20
        }]
    );
    for i in 0..20 {
        let n = format!("user{i:02}");
        assert_eq!(persona_actors(&g, &n), [n]);
    }
    assert_eq!(persona_actors(&g, "alice"), ["alice", "alice2"]);
    // The hub limit is a knob.
    let g = build(
        &ev,
        &GraphConfig {
            max_links_per_node: 100,
        },
    );
    assert!(g.hubs.is_empty());
    assert_eq!(persona_actors(&g, "user00").len(), 20);
}

#[test]
fn a_did_claimed_without_proof_merges_nothing() {
    let did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    let ev = [
        proof("alice", did),
        Evidence::AlsoKnownAs {
            from: actor("mallory").into(),
            to: did.into(),
        },
    ];
    let g = graph(&ev);
    assert_eq!(persona_actors(&g, "alice"), ["alice"]);
    assert_eq!(persona_actors(&g, "mallory"), ["mallory"]);
    assert!(
        g.persona_of(&Node::actor(actor("alice")))
            .expect("alice")
            .contains(&Node::did(did))
    );
    assert_eq!(g.declared, [ev[1].clone()]);
}

#[test]
fn identity_proofs_with_the_same_subject_link() {
    let did = "did:key:z6Mkshared";
    let g = graph(&[
        proof("alice", did),
        proof("alice2", did),
        proof("bob", "did:key:z6Mkother"),
    ]);
    let p = g.persona_of(&Node::did(did)).expect("persona");
    assert_eq!(
        p.members,
        [
            Node::actor(actor("alice")),
            Node::actor(actor("alice2")),
            Node::did(did)
        ]
    );
    assert_eq!(p.links.len(), 2);
    for l in &p.links {
        assert_eq!(l.reason, LinkReason::IdentityProof);
        assert!(matches!(&l.evidence[..], [Evidence::IdentityProof { did: d, .. }] if &**d == did));
    }
    assert_eq!(persona_actors(&g, "bob"), ["bob"]);
    // Two actors without movedTo: FEP-7628 wants exactly one primary; reported.
    assert_eq!(
        p.primary,
        Primary::Ambiguous(vec![actor("alice"), actor("alice2")])
    );
}

#[test]
fn move_confirmations_and_primary() {
    // alice moved old → new; new claims old.
    let g = graph(&[aka("new", "old"), moved("old", "new")]);
    let p = g.persona_of(&Node::actor(actor("old"))).expect("persona");
    assert_eq!(p.primary, Primary::Actor(actor("new")));
    assert_eq!(p.links.len(), 1);
    assert_eq!(
        p.links[0].reason,
        LinkReason::AlsoKnownAs(Confirmation::MovedTo)
    );
    let mut expected = vec![aka("new", "old"), moved("old", "new")];
    expected.sort();
    assert_eq!(p.links[0].evidence, expected);

    // An authenticated Move confirms too, and is preferred over movedTo.
    let g = graph(&[aka("new", "old"), moved("old", "new"), seen("old", "new")]);
    let p = g.persona_of(&Node::actor(actor("old"))).expect("persona");
    assert_eq!(
        p.links[0].reason,
        LinkReason::AlsoKnownAs(Confirmation::Move)
    );

    // A two-way alias confirms without any move; then nobody has moved: ambiguous primary.
    let g = graph(&[aka("a", "b"), aka("b", "a")]);
    let p = g.persona_of(&Node::actor(actor("a"))).expect("persona");
    assert_eq!(
        p.links[0].reason,
        LinkReason::AlsoKnownAs(Confirmation::ReverseAlias)
    );
    assert!(matches!(p.primary, Primary::Ambiguous(ref v) if v.len() == 2));
}

#[test]
fn chains_merge_transitively_and_the_primary_is_the_end_of_the_chain() {
    let ev = [
        aka("b", "a"),
        moved("a", "b"),
        aka("c", "b"),
        moved("b", "c"),
        aka("d", "c"),
        moved("c", "d"),
    ];
    let g = graph(&ev);
    assert_eq!(persona_actors(&g, "a"), ["a", "b", "c", "d"]);
    let p = g.persona_of(&Node::actor(actor("a"))).expect("persona");
    assert_eq!(p.primary, Primary::Actor(actor("d")));
    assert_eq!(p.links.len(), 3);
}

#[test]
fn a_move_loop_has_no_primary() {
    let g = graph(&[
        aka("a", "b"),
        aka("b", "a"),
        moved("a", "b"),
        moved("b", "a"),
    ]);
    assert_eq!(
        g.persona_of(&Node::actor(actor("a")))
            .expect("persona")
            .primary,
        Primary::AllMoved
    );
}

#[test]
fn self_links_are_ignored() {
    let g = graph(&[aka("a", "a"), moved("a", "a")]);
    assert_eq!(g.ignored.len(), 2);
    assert_eq!(
        g.persona_of(&Node::actor(actor("a")))
            .expect("persona")
            .primary,
        Primary::Actor(actor("a"))
    );
}

#[test]
fn rel_me_to_the_same_site_links_and_explains() {
    let site = "https://alice.example/";
    let g = graph(&[relme("a", site), relme("b", site), aka("b", "a")]);
    let p = g.persona_of(&Node::site(site)).expect("persona");
    assert_eq!(
        p.members.iter().map(|m| m.kind).collect::<Vec<_>>(),
        [NodeKind::Actor, NodeKind::Actor, NodeKind::Site]
    );
    assert!(p.links.iter().all(|l| l.reason == LinkReason::RelMe));
    assert_eq!(
        g.declared,
        [aka("b", "a")],
        "the unconfirmed claim is still reported"
    );
}

/// A deterministic Fisher–Yates shuffle.
fn shuffle<T>(v: &mut [T], mut seed: u64) {
    for i in (1..v.len()).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = (seed >> 33) as usize % (i + 1);
        v.swap(i, j);
    }
}

#[test]
fn output_does_not_depend_on_input_order() {
    let mut ev = vec![
        aka("b", "a"),
        moved("a", "b"),
        aka("c", "b"),
        seen("b", "c"),
        aka("b", "c"),
        proof("c", "did:key:z1"),
        proof("x", "did:key:z1"),
        relme("x", "https://x.example/"),
        aka("m", "a"),
        aka("a", "b"),
        Evidence::CopiedTo {
            from: actor("a").into(),
            to: actor("z").into(),
        },
        aka("b", "a"),
        moved("a", "b"),
    ];
    let reference = graph(&ev);
    for seed in 0..20 {
        shuffle(&mut ev, seed);
        assert_eq!(graph(&ev), reference, "seed {seed}");
    }
}

// ---- property tests against a naive reference ----------------------------------------------

fn arb_evidence() -> impl Strategy<Value = Evidence> {
    let a = || (0u8..8).prop_map(|i| actor(&format!("a{i}")));
    let d = || (0u8..3).prop_map(|i| format!("did:key:z{i}"));
    let s = || (0u8..3).prop_map(|i| format!("https://site{i}.example/"));
    prop_oneof![
        (a(), d()).prop_map(|(actor, did)| Evidence::IdentityProof {
            actor: actor.into(),
            did: did.into()
        }),
        (a(), s()).prop_map(|(actor, site)| Evidence::RelMe {
            actor: actor.into(),
            site: site.into()
        }),
        (a(), a()).prop_map(|(from, to)| Evidence::AlsoKnownAs {
            from: from.into(),
            to: to.into()
        }),
        (a(), d()).prop_map(|(from, to)| Evidence::AlsoKnownAs {
            from: from.into(),
            to: to.into()
        }),
        (a(), a()).prop_map(|(from, to)| Evidence::MovedTo {
            from: from.into(),
            to: to.into()
        }),
        (a(), a()).prop_map(|(from, to)| Evidence::CopiedTo {
            from: from.into(),
            to: to.into()
        }),
        (a(), a()).prop_map(|(from, to)| Evidence::MoveSeen {
            from: from.into(),
            to: to.into()
        }),
    ]
}

fn node_of((kind, id): (NodeKind, &str)) -> Node {
    Node {
        kind,
        id: id.into(),
    }
}

/// Naive reference: confirmed edges by scanning, hubs by distinct neighbours, BFS components.
fn reference_partition(ev: &[Evidence], max_links: usize) -> BTreeSet<Vec<Node>> {
    let mut edges: HashSet<(Node, Node)> = HashSet::new();
    let mut nodes: BTreeSet<Node> = BTreeSet::new();
    let add = |x: Node, y: Node, edges: &mut HashSet<(Node, Node)>| {
        if x != y {
            let (lo, hi) = if x < y { (x, y) } else { (y, x) };
            edges.insert((lo, hi));
        }
    };
    for e in ev {
        let (x, y) = e.endpoints();
        let (x, y) = (node_of(x), node_of(y));
        nodes.insert(x.clone());
        nodes.insert(y.clone());
        match e {
            Evidence::IdentityProof { .. } | Evidence::RelMe { .. } => add(x, y, &mut edges),
            Evidence::AlsoKnownAs { from: b, to: a } => {
                let confirmed = ev.iter().any(|c| match c {
                    Evidence::AlsoKnownAs { from, to }
                    | Evidence::MovedTo { from, to }
                    | Evidence::MoveSeen { from, to } => {
                        from == a && to == b && node_of(c.endpoints().1) == x
                    }
                    _ => false,
                });
                if confirmed {
                    add(x, y, &mut edges);
                }
            }
            _ => {}
        }
    }
    let mut degree: HashMap<Node, usize> = HashMap::new();
    for (x, y) in &edges {
        *degree.entry(x.clone()).or_default() += 1;
        *degree.entry(y.clone()).or_default() += 1;
    }
    let hub = |n: &Node| degree.get(n).copied().unwrap_or(0) > max_links;
    let mut adj: HashMap<Node, Vec<Node>> = HashMap::new();
    for (x, y) in &edges {
        if !hub(x) && !hub(y) {
            adj.entry(x.clone()).or_default().push(y.clone());
            adj.entry(y.clone()).or_default().push(x.clone());
        }
    }
    let mut seen: HashSet<Node> = HashSet::new();
    let mut out = BTreeSet::new();
    for start in &nodes {
        if seen.contains(start) {
            continue;
        }
        let mut comp = Vec::new();
        let mut queue = VecDeque::from([start.clone()]);
        seen.insert(start.clone());
        while let Some(n) = queue.pop_front() {
            for m in adj.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    queue.push_back(m.clone());
                }
            }
            comp.push(n);
        }
        comp.sort();
        if comp.iter().any(|n| n.kind == NodeKind::Actor) {
            out.insert(comp);
        }
    }
    out
}

proptest! {
    #[test]
    fn union_find_equals_naive_bfs(ev in prop::collection::vec(arb_evidence(), 0..60), k in 1usize..6) {
        let g = build(&ev, &GraphConfig { max_links_per_node: k });
        let ours: BTreeSet<Vec<Node>> = g.personas.iter().map(|p| p.members.clone()).collect();
        prop_assert_eq!(ours, reference_partition(&ev, k));
    }

    #[test]
    fn output_is_order_independent(ev in prop::collection::vec(arb_evidence(), 0..60), seed in any::<u64>()) {
        let reference = graph(&ev);
        let mut shuffled = ev.clone();
        shuffle(&mut shuffled, seed);
        prop_assert_eq!(graph(&shuffled), reference);
    }

    #[test]
    fn every_persona_is_spanned_by_its_links(ev in prop::collection::vec(arb_evidence(), 0..60)) {
        let g = graph(&ev);
        for p in &g.personas {
            prop_assert_eq!(p.links.len() + 1, p.members.len());
            // The links connect every member (BFS over the explanation alone).
            let mut reached: HashSet<&Node> = HashSet::from([&p.members[0]]);
            let mut grew = true;
            while grew {
                grew = false;
                for l in &p.links {
                    if reached.contains(&l.a) != reached.contains(&l.b) {
                        reached.insert(&l.a);
                        reached.insert(&l.b);
                        grew = true;
                    }
                }
            }
            prop_assert_eq!(reached.len(), p.members.len());
            // Every explaining evidence item is in the input.
            for l in &p.links {
                for e in &l.evidence {
                    prop_assert!(ev.contains(e));
                }
            }
        }
    }
}

#[test]
fn from_actor_documents_to_a_persona() {
    use identity_links::also_known_as::AliasLimits;
    use identity_links::persona::claims_from_actor;
    use serde_json::json;

    let old = json!({"id": "https://old.example/users/me", "movedTo": "https://new.example/users/me",
        "alsoKnownAs": ["https://mallory.example/users/m"]});
    let new = json!({"id": "https://new.example/users/me", "alsoKnownAs": ["https://old.example/users/me"]});
    let mut ev = Vec::new();
    for (doc, from) in [
        (&old, "https://old.example/users/me"),
        (&new, "https://new.example/users/me"),
    ] {
        ev.extend(claims_from_actor(doc, from, &AliasLimits::default()).expect("own id"));
    }
    ev.push(Evidence::RelMe {
        actor: "https://new.example/users/me".into(),
        site: "https://me.example/".into(),
    });
    let g = graph(&ev);
    let p = g
        .persona_of(&Node::site("https://me.example/"))
        .expect("persona");
    assert_eq!(
        p.actors().collect::<Vec<_>>(),
        [
            "https://new.example/users/me",
            "https://old.example/users/me"
        ]
    );
    assert_eq!(
        p.primary,
        Primary::Actor("https://new.example/users/me".into())
    );
    assert_eq!(p.links.len(), 2);
    // old's claim of mallory is one-way: reported, not merged.
    assert_eq!(
        g.declared,
        [Evidence::AlsoKnownAs {
            from: "https://old.example/users/me".into(),
            to: "https://mallory.example/users/m".into()
        }]
    );
}
