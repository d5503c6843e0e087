//! Building the persona graph: interning, the confirmed-link rule, the hub limit, union–find
//! and a deterministic, explained output.
//!
//! Indexing below is into arrays sized by the interner (`n` nodes) with ids the interner handed
//! out, so every index is in range by construction.

use std::collections::HashMap;
use std::sync::Arc;

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
            .map(|m| &*m.id)
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
    /// (Mitra's "declared" aliases), sorted by (claimant, target, type) and deduplicated.
    pub declared: Vec<Evidence>,
    /// Evidence about a node and itself (self-alias, self-move), ignored; sorted by (node,
    /// type), deduplicated.
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

/// The dense id of node `(kind, id)`, allocating the next one on first sight.
/// Dense ids for `(kind, text)` nodes. Text is hashed with the standard (keyed, HashDoS
/// resistant) hasher; since callers usually share one `Arc<str>` per identifier, a first
/// lookup by the `Arc`'s address (not attacker-chosen, so a plain multiplicative hash is safe)
/// skips hashing the text again.
struct Interner<'a> {
    by_text: HashMap<(NodeKind, &'a str), u32>,
    by_ptr: HashMap<(NodeKind, usize), u32, BuildPtrHasher>,
    nodes: Vec<(NodeKind, &'a Arc<str>)>,
}

impl<'a> Interner<'a> {
    fn intern(&mut self, kind: NodeKind, id: &'a Arc<str>) -> u32 {
        let ptr = Arc::as_ptr(id) as *const u8 as usize;
        if let Some(&got) = self.by_ptr.get(&(kind, ptr)) {
            return got;
        }
        // At most 2 * MAX_EVIDENCE < u32::MAX nodes.
        let next = self.nodes.len() as u32;
        let got = *self.by_text.entry((kind, &**id)).or_insert(next);
        if got == next {
            self.nodes.push((kind, id));
        }
        self.by_ptr.insert((kind, ptr), got);
        got
    }
}

/// Hasher for `(NodeKind, address)` keys only.
#[derive(Default, Clone, Copy)]
struct BuildPtrHasher;

impl std::hash::BuildHasher for BuildPtrHasher {
    type Hasher = PtrHasher;
    fn build_hasher(&self) -> PtrHasher {
        PtrHasher(0)
    }
}

struct PtrHasher(u64);

impl std::hash::Hasher for PtrHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A fixed order of evidence types for sorting reports.
fn type_order(e: &Evidence) -> u8 {
    match e {
        Evidence::IdentityProof { .. } => 0,
        Evidence::RelMe { .. } => 1,
        Evidence::AlsoKnownAs { .. } => 2,
        Evidence::MovedTo { .. } => 3,
        Evidence::CopiedTo { .. } => 4,
        Evidence::MoveSeen { .. } => 5,
    }
}

fn key(from: u32, to: u32) -> u64 {
    (u64::from(from) << 32) | u64::from(to)
}

/// A merge-join cursor over `(swap(key), evidence)` pairs, sorted; queried with
/// non-decreasing keys.
struct Join {
    pairs: Vec<(u64, u32)>,
    at: usize,
}

impl Join {
    fn swapped(directed: &[(u64, u32)]) -> Self {
        let mut pairs: Vec<(u64, u32)> = directed
            .iter()
            .map(|&(k, e)| (k.rotate_left(32), e))
            .collect();
        pairs.sort_unstable();
        Join { pairs, at: 0 }
    }

    /// The evidence whose swapped key equals `k`; `k` must not decrease between calls.
    fn find(&mut self, k: u64) -> Option<u32> {
        while self.pairs.get(self.at).is_some_and(|&(x, _)| x < k) {
            self.at += 1;
        }
        self.pairs
            .get(self.at)
            .filter(|&&(x, _)| x == k)
            .map(|&(_, e)| e)
    }
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
    let mut interner = Interner {
        by_text: HashMap::with_capacity(evidence.len() / 4 + 16),
        by_ptr: HashMap::with_capacity_and_hasher(evidence.len() / 4 + 16, BuildPtrHasher),
        nodes: Vec::with_capacity(evidence.len() / 4 + 16),
    };
    let mut direct: Vec<(u32, u32, LinkReason, u32)> = Vec::new();
    let mut aka: Vec<(u64, u32)> = Vec::new();
    let mut moved: Vec<(u64, u32)> = Vec::new();
    let mut seen: Vec<(u64, u32)> = Vec::new();
    let mut declared_idx: Vec<(u32, u32, u32)> = Vec::new();
    let mut ignored_idx: Vec<(u32, u32, u32)> = Vec::new();
    for (i, ev) in evidence.iter().enumerate() {
        let i = i as u32;
        let ((ka, a), (kb, b)) = ev.endpoint_ids();
        let (u, v) = (interner.intern(ka, a), interner.intern(kb, b));
        if u == v {
            ignored_idx.push((u, v, i));
            continue;
        }
        match ev {
            Evidence::IdentityProof { .. } => direct.push((u, v, LinkReason::IdentityProof, i)),
            Evidence::RelMe { .. } => direct.push((u, v, LinkReason::RelMe, i)),
            Evidence::AlsoKnownAs { .. } => aka.push((key(u, v), i)),
            Evidence::MovedTo { .. } => moved.push((key(u, v), i)),
            Evidence::MoveSeen { .. } => seen.push((key(u, v), i)),
            Evidence::CopiedTo { .. } => declared_idx.push((u, v, i)),
        }
    }
    let nodes = interner.nodes;
    let n = nodes.len();

    // 2. Rank nodes in output order so every later choice is independent of input order.
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by(|&x, &y| {
        let ((kx, sx), (ky, sy)) = (nodes[x as usize], nodes[y as usize]);
        (kx, &**sx).cmp(&(ky, &**sy))
    });
    let mut rank = vec![0u32; n];
    for (r, &id) in order.iter().enumerate() {
        rank[id as usize] = r as u32;
    }

    let mut has_moved = vec![false; n];
    for &(k, _) in moved.iter().chain(&seen) {
        has_moved[rank[(k >> 32) as usize] as usize] = true;
    }

    // 3. The confirmed-link rule of spec §4.3 for alsoKnownAs.
    // Each claim b → a needs a → b in one of three sets. Swapping the halves of those sets'
    // keys turns that into equality with the claim's own key, so sorted merge-joins (sequential
    // memory access) replace a million random lookups.
    aka.sort_unstable();
    let mut by_reverse_alias = Join::swapped(&aka);
    let mut by_move = Join::swapped(&seen);
    let mut by_moved_to = Join::swapped(&moved);
    drop((moved, seen));
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
        // Advance all three joins (each must see every key in order).
        let found = [
            by_reverse_alias
                .find(k)
                .map(|j| (Confirmation::ReverseAlias, j)),
            by_move.find(k).map(|j| (Confirmation::Move, j)),
            by_moved_to.find(k).map(|j| (Confirmation::MovedTo, j)),
        ];
        match found.into_iter().flatten().next() {
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
            None => declared_idx.push((b, a, claim)),
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
            id: Arc::clone(s),
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
            .map(|&r| nodes[order[r as usize] as usize].1.to_string())
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
    // Sorted by (source node, target node, evidence type) using ranks, then deduplicated, so
    // that only the kept items are cloned and no string is compared.
    let collect = |idx: Vec<(u32, u32, u32)>| {
        let mut keyed: Vec<(u32, u32, u8, u32)> = idx
            .into_iter()
            .map(|(u, v, i)| {
                (
                    rank[u as usize],
                    rank[v as usize],
                    type_order(&evidence[i as usize]),
                    i,
                )
            })
            .collect();
        keyed.sort_unstable_by_key(|&(a, b, t, _)| (a, b, t));
        keyed.dedup_by_key(|&mut (a, b, t, _)| (a, b, t));
        keyed
            .into_iter()
            .map(|(.., i)| ev_at(i))
            .collect::<Vec<_>>()
    };
    PersonaGraph {
        personas,
        hubs,
        declared: collect(declared_idx),
        ignored: collect(ignored_idx),
    }
}
