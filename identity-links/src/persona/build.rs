//! Building the persona graph: interning, the confirmed-link rule, the hub limit, union–find
//! and a deterministic, explained output.
//!
//! Indexing below is into arrays sized by the interner (`n` nodes) with ids the interner handed
//! out, so every index is in range by construction.

use std::collections::HashMap;

use super::evidence::{Evidence, Node, NodeKind};
use super::union_find::UnionFind;

/// Limits of the graph build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphConfig {
    /// A node with more than this many distinct confirmed links (a shared link page, a
    /// multi-author blog, a leaked key) is a *hub*: none of its links merge anything, and it is
    /// reported in [`PersonaGraph::hubs`] (spec §4.3 safety rail 2). Default 16.
    pub max_links_per_node: usize,
}

impl Default for GraphConfig {
    fn default() -> Self {
        GraphConfig {
            max_links_per_node: 16,
        }
    }
}

/// What confirmed an `alsoKnownAs` claim `b → a` (spec §4.3: `AkaLinked(a,b)` iff
/// `AkaClaim(b→a)` and (`AkaClaim(a→b)` or `MovedTo(a→b)` or `MoveSeen(a→b)`)). The order is
/// the order of preference when several apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confirmation {
    /// The reverse `alsoKnownAs` claim (a two-way alias).
    ReverseAlias,
    /// An authenticated `Move` from `a` to `b`.
    Move,
    /// `a.movedTo == b`.
    MovedTo,
}

/// Why two nodes are linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkReason {
    /// A verified FEP-c390 identity proof (actor ↔ DID).
    IdentityProof,
    /// A rel-me link verified both ways (actor ↔ site).
    RelMe,
    /// A confirmed `alsoKnownAs` claim (actor ↔ actor).
    AlsoKnownAs(Confirmation),
}

/// One link of a persona's spanning explanation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Link {
    /// One end (the smaller node).
    pub a: Node,
    /// The other end.
    pub b: Node,
    /// Why they are linked.
    pub reason: LinkReason,
    /// The evidence items that make the link (one, or a claim and its confirmation), sorted.
    pub evidence: Vec<Evidence>,
}

/// The primary actor of a persona (FEP-7628: the member without `movedTo`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Primary {
    /// Exactly one actor has not moved.
    Actor(String),
    /// Several actors have not moved (sorted); FEP-7628 wants exactly one.
    Ambiguous(Vec<String>),
    /// Every actor carries `movedTo` (or was seen moving): a loop, or a move out of the persona.
    AllMoved,
}

/// One persona: a connected component over confirmed links that contains at least one actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Persona {
    /// Members, sorted (actors first, then DIDs, then sites).
    pub members: Vec<Node>,
    /// A spanning explanation: `members.len() - 1` links, sorted, that connect every member.
    pub links: Vec<Link>,
    /// The primary actor.
    pub primary: Primary,
}

impl Persona {
    /// The actor members' ids, sorted.
    pub fn actors(&self) -> impl Iterator<Item = &str> {
        self.members
            .iter()
            .take_while(|m| m.kind == NodeKind::Actor)
            .map(|m| m.id.as_str())
    }

    /// Whether `node` is a member.
    pub fn contains(&self, node: &Node) -> bool {
        self.members.binary_search(node).is_ok()
    }
}

/// A node excluded from merging by [`GraphConfig::max_links_per_node`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hub {
    /// The node.
    pub node: Node,
    /// Its number of distinct confirmed links.
    pub confirmed_links: usize,
}

/// The graph: personas and what did not count.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonaGraph {
    /// Personas, sorted by their first member.
    pub personas: Vec<Persona>,
    /// Nodes whose links were not merged, sorted.
    pub hubs: Vec<Hub>,
    /// One-way claims that linked nothing: unconfirmed `alsoKnownAs` and every `copiedTo`
    /// (Mitra's "declared" aliases), sorted and deduplicated.
    pub declared: Vec<Evidence>,
    /// Evidence about a node and itself (self-alias, self-move), ignored; sorted, deduplicated.
    pub ignored: Vec<Evidence>,
}

impl PersonaGraph {
    /// The persona containing `node`, if any.
    pub fn persona_of(&self, node: &Node) -> Option<&Persona> {
        self.personas.iter().find(|p| p.contains(node))
    }
}

/// Evidence items read at most (ids are `u32`).
pub const MAX_EVIDENCE: usize = (u32::MAX / 4) as usize;

/// Why an undirected confirmed edge exists: evidence indices into the input.
#[derive(Clone, Copy)]
enum Why {
    Direct(u32),
    Aka { claim: u32, confirm: u32 },
}

#[derive(Clone, Copy)]
struct Edge {
    /// Ranks (positions in sorted node order), `u < v`.
    u: u32,
    v: u32,
    reason: LinkReason,
    /// Orientation of the claim for an alsoKnownAs link: 0 when the claimant is `u`.
    dir: u8,
    why: Why,
}

fn key(from: u32, to: u32) -> u64 {
    (u64::from(from) << 32) | u64::from(to)
}

fn lookup(sorted: &[(u64, u32)], k: u64) -> Option<u32> {
    let i = sorted.partition_point(|&(x, _)| x < k);
    sorted.get(i).filter(|&&(x, _)| x == k).map(|&(_, e)| e)
}

/// Builds the persona graph from `evidence` (at most [`MAX_EVIDENCE`] items read). The result
/// does not depend on the order of `evidence`.
///
/// ```
/// use identity_links::persona::{build, Evidence, GraphConfig, Node, Primary};
///
/// let old = "https://old.example/users/alice";
/// let new = "https://new.example/users/alice";
/// let evidence = vec![
///     // The new account claims the old one; the old one's movedTo confirms it.
///     Evidence::AlsoKnownAs { from: new.into(), to: old.into() },
///     Evidence::MovedTo { from: old.into(), to: new.into() },
///     // A stranger claims alice: one-way, merges nothing.
///     Evidence::AlsoKnownAs { from: "https://evil.example/u".into(), to: new.into() },
/// ];
/// let graph = build(&evidence, &GraphConfig::default());
/// let alice = graph.persona_of(&Node::actor(old)).unwrap();
/// assert_eq!(alice.members, [Node::actor(new), Node::actor(old)]);
/// assert_eq!(alice.primary, Primary::Actor(new.into()));
/// assert_eq!(graph.declared.len(), 1);
/// ```
pub fn build(evidence: &[Evidence], config: &GraphConfig) -> PersonaGraph {
    let evidence = evidence.get(..MAX_EVIDENCE).unwrap_or(evidence);

    // 1. Intern nodes; sort the evidence into undirected links and directed claims.
    let mut nodes: Vec<(NodeKind, &str)> = Vec::with_capacity(evidence.len() / 4 + 16);
    let mut ids: HashMap<(NodeKind, &str), u32> = HashMap::with_capacity(evidence.len() / 4 + 16);
    let mut direct: Vec<(u32, u32, LinkReason, u32)> = Vec::new();
    let mut aka: Vec<(u64, u32)> = Vec::new();
    let mut moved: Vec<(u64, u32)> = Vec::new();
    let mut seen: Vec<(u64, u32)> = Vec::new();
    let mut declared_idx: Vec<u32> = Vec::new();
    let mut ignored_idx: Vec<u32> = Vec::new();
    for (i, ev) in evidence.iter().enumerate() {
        let i = i as u32;
        let ((ka, a), (kb, b)) = ev.endpoints();
        let mut id_of = |k: NodeKind, s| {
            let next = nodes.len() as u32;
            let id = *ids.entry((k, s)).or_insert(next);
            if id == next {
                nodes.push((k, s));
            }
            id
        };
        let (u, v) = (id_of(ka, a), id_of(kb, b));
        if u == v {
            ignored_idx.push(i);
            continue;
        }
        match ev {
            Evidence::IdentityProof { .. } => direct.push((u, v, LinkReason::IdentityProof, i)),
            Evidence::RelMe { .. } => direct.push((u, v, LinkReason::RelMe, i)),
            Evidence::AlsoKnownAs { .. } => aka.push((key(u, v), i)),
            Evidence::MovedTo { .. } => moved.push((key(u, v), i)),
            Evidence::MoveSeen { .. } => seen.push((key(u, v), i)),
            Evidence::CopiedTo { .. } => declared_idx.push(i),
        }
    }
    drop(ids);
    let n = nodes.len();

    // 2. Rank nodes in output order so every later choice is independent of input order.
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by(|&x, &y| nodes[x as usize].cmp(&nodes[y as usize]));
    let mut rank = vec![0u32; n];
    for (r, &id) in order.iter().enumerate() {
        rank[id as usize] = r as u32;
    }

    let mut has_moved = vec![false; n];
    for &(k, _) in moved.iter().chain(&seen) {
        has_moved[rank[(k >> 32) as usize] as usize] = true;
    }

    // 3. The confirmed-link rule of spec §4.3 for alsoKnownAs.
    aka.sort_unstable();
    moved.sort_unstable();
    seen.sort_unstable();
    let mut edges: Vec<Edge> = Vec::with_capacity(direct.len() + aka.len());
    for &(u, v, reason, i) in &direct {
        let (ru, rv) = (rank[u as usize], rank[v as usize]);
        edges.push(Edge {
            u: ru.min(rv),
            v: ru.max(rv),
            reason,
            dir: 0,
            why: Why::Direct(i),
        });
    }
    for &(k, claim) in &aka {
        let (b, a) = ((k >> 32) as u32, k as u32); // claim b → a
        let back = key(a, b);
        let confirmed = lookup(&aka, back)
            .map(|j| (Confirmation::ReverseAlias, j))
            .or_else(|| lookup(&seen, back).map(|j| (Confirmation::Move, j)))
            .or_else(|| lookup(&moved, back).map(|j| (Confirmation::MovedTo, j)));
        match confirmed {
            Some((by, confirm)) => {
                let (rb, ra) = (rank[b as usize], rank[a as usize]);
                edges.push(Edge {
                    u: rb.min(ra),
                    v: rb.max(ra),
                    reason: LinkReason::AlsoKnownAs(by),
                    dir: u8::from(rb > ra),
                    why: Why::Aka { claim, confirm },
                });
            }
            None => declared_idx.push(claim),
        }
    }
    edges.sort_unstable_by_key(|e| (e.u, e.v, e.reason, e.dir));
    edges.dedup_by_key(|e| (e.u, e.v));

    // 4. Hubs: too many distinct confirmed links.
    let mut degree = vec![0usize; n];
    for e in &edges {
        degree[e.u as usize] += 1;
        degree[e.v as usize] += 1;
    }
    let is_hub = |r: u32| degree[r as usize] > config.max_links_per_node;

    // 5. Union–find in sorted edge order; the edges that merge form the spanning explanation.
    let mut uf = UnionFind::new(n);
    let mut spanning: Vec<Edge> = Vec::new();
    for e in &edges {
        if !is_hub(e.u) && !is_hub(e.v) && uf.union(e.u, e.v) {
            spanning.push(*e);
        }
    }

    // 6. Output, walking ranks in order: members come out sorted, personas by first member.
    let node_at = |r: u32| {
        let (k, s) = nodes[order[r as usize] as usize];
        Node {
            kind: k,
            id: s.to_owned(),
        }
    };
    let mut slot_of_root: Vec<u32> = vec![u32::MAX; n];
    let mut groups: Vec<(Vec<u32>, Vec<Edge>)> = Vec::new();
    for r in 0..n as u32 {
        let root = uf.find(r) as usize;
        if slot_of_root[root] == u32::MAX {
            slot_of_root[root] = groups.len() as u32;
            groups.push((Vec::new(), Vec::new()));
        }
        groups[slot_of_root[root] as usize].0.push(r);
    }
    for e in spanning {
        let g = slot_of_root[uf.find(e.u) as usize] as usize;
        groups[g].1.push(e);
    }
    let ev_at = |i: u32| evidence[i as usize].clone();
    let mut personas = Vec::new();
    for (members, links) in groups {
        // Actors sort first, so a persona without an actor starts with a DID or a site.
        let first_is_actor = members
            .first()
            .is_some_and(|&r| nodes[order[r as usize] as usize].0 == NodeKind::Actor);
        if !first_is_actor {
            continue;
        }
        let unmoved: Vec<String> = members
            .iter()
            .filter(|&&r| {
                nodes[order[r as usize] as usize].0 == NodeKind::Actor && !has_moved[r as usize]
            })
            .map(|&r| nodes[order[r as usize] as usize].1.to_owned())
            .collect();
        let primary = match unmoved.len() {
            0 => Primary::AllMoved,
            1 => Primary::Actor(unmoved.into_iter().next().unwrap_or_default()),
            _ => Primary::Ambiguous(unmoved),
        };
        let links = links
            .into_iter()
            .map(|e| {
                let mut evidence = match e.why {
                    Why::Direct(i) => vec![ev_at(i)],
                    Why::Aka { claim, confirm } => vec![ev_at(claim), ev_at(confirm)],
                };
                evidence.sort_unstable();
                Link {
                    a: node_at(e.u),
                    b: node_at(e.v),
                    reason: e.reason,
                    evidence,
                }
            })
            .collect();
        personas.push(Persona {
            members: members.into_iter().map(node_at).collect(),
            links,
            primary,
        });
    }

    let mut hubs: Vec<Hub> = (0..n as u32)
        .filter(|&r| is_hub(r))
        .map(|r| Hub {
            node: node_at(r),
            confirmed_links: degree[r as usize],
        })
        .collect();
    hubs.sort_unstable();
    let collect = |idx: Vec<u32>| {
        let mut v: Vec<Evidence> = idx.into_iter().map(ev_at).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    PersonaGraph {
        personas,
        hubs,
        declared: collect(declared_idx),
        ignored: collect(ignored_idx),
    }
}
