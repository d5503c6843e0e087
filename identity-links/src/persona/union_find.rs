//! Disjoint sets over dense `u32` ids: path compression (halving) and union by rank.

/// Union–find over `0..n`.
#[derive(Debug, Clone)]
pub(crate) struct UnionFind {
    parent: Vec<u32>,
    rank: Vec<u8>,
}

impl UnionFind {
    pub(crate) fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            rank: vec![0; n],
        }
    }

    fn parent_of(&self, x: u32) -> u32 {
        self.parent.get(x as usize).copied().unwrap_or(x)
    }

    /// The representative of `x`'s set (path halving).
    pub(crate) fn find(&mut self, mut x: u32) -> u32 {
        loop {
            let p = self.parent_of(x);
            if p == x {
                return x;
            }
            let gp = self.parent_of(p);
            if let Some(slot) = self.parent.get_mut(x as usize) {
                *slot = gp;
            }
            x = gp;
        }
    }

    /// Merges the sets of `a` and `b`; `true` when they were distinct.
    pub(crate) fn union(&mut self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let rank = |uf: &Self, x: u32| uf.rank.get(x as usize).copied().unwrap_or(0);
        let (hi, lo) = if rank(self, ra) >= rank(self, rb) {
            (ra, rb)
        } else {
            (rb, ra)
        };
        if let Some(slot) = self.parent.get_mut(lo as usize) {
            *slot = hi;
        }
        if rank(self, ra) == rank(self, rb)
            && let Some(r) = self.rank.get_mut(hi as usize)
        {
            *r = r.saturating_add(1);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::UnionFind;

    #[test]
    fn merges() {
        let mut uf = UnionFind::new(6);
        assert!(uf.union(0, 1));
        assert!(uf.union(2, 3));
        assert!(uf.union(1, 3));
        assert!(!uf.union(0, 2));
        assert_eq!(uf.find(0), uf.find(3));
        assert_ne!(uf.find(0), uf.find(4));
    }
}
