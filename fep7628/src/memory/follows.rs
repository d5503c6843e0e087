//! Follows and blocks in ordered maps.

use std::collections::{BTreeMap, BTreeSet};
use std::future::{Future, ready};
use std::ops::Bound;
use std::sync::Mutex;

use super::lock;
use crate::plan::{ExistingFollow, FollowSettings, LocalFollower};
use crate::store::{
    FollowRecord, FollowState, FollowStore, FollowerPageQuery, StoreError, StoreErrorKind,
};

#[derive(Debug, Default)]
struct Tables {
    /// (followed, follower) → follow: a range over `followed` yields followers in id order.
    follows: BTreeMap<(String, String), FollowRecord>,
    /// (blocker, blocked).
    blocks: BTreeSet<(String, String)>,
    local: BTreeSet<String>,
    /// Followers whose follow writes fail, with the error to return.
    failing_writes: BTreeMap<String, StoreErrorKind>,
}

/// A [`FollowStore`] over ordered maps. Only accounts marked local appear in
/// [`FollowStore::followers_page`].
#[derive(Debug, Default)]
pub struct MemoryFollowStore {
    tables: Mutex<Tables>,
}

impl MemoryFollowStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `id` as an account of this server.
    pub fn add_local(&self, id: impl Into<String>) {
        lock(&self.tables).local.insert(id.into());
    }

    /// Inserts a follow (setup helper; the trait method does the same).
    pub fn add_follow(
        &self,
        follower: impl Into<String>,
        followed: impl Into<String>,
        settings: FollowSettings,
        state: FollowState,
    ) {
        lock(&self.tables).follows.insert(
            (followed.into(), follower.into()),
            FollowRecord { settings, state },
        );
    }

    /// Inserts a block.
    pub fn add_block(&self, blocker: impl Into<String>, blocked: impl Into<String>) {
        lock(&self.tables)
            .blocks
            .insert((blocker.into(), blocked.into()));
    }

    /// Makes every follow write by `follower` fail with `kind` (to test failure isolation).
    pub fn fail_writes_of(&self, follower: impl Into<String>, kind: StoreErrorKind) {
        lock(&self.tables)
            .failing_writes
            .insert(follower.into(), kind);
    }

    /// Followers of `followed` (any, local or not), in id order.
    pub fn followers_of(&self, followed: &str) -> Vec<(String, FollowRecord)> {
        let t = lock(&self.tables);
        t.follows
            .range((followed.to_owned(), String::new())..)
            .take_while(|((f, _), _)| f == followed)
            .map(|((_, follower), rec)| (follower.clone(), rec.clone()))
            .collect()
    }

    fn check_write(t: &Tables, follower: &str) -> Result<(), StoreError> {
        match t.failing_writes.get(follower) {
            Some(kind) => Err(StoreError::new(
                *kind,
                format!("write for {follower} refused"),
            )),
            None => Ok(()),
        }
    }
}

impl FollowStore for MemoryFollowStore {
    fn followers_page(
        &self,
        query: &FollowerPageQuery,
    ) -> impl Future<Output = Result<Vec<LocalFollower>, StoreError>> + Send {
        let t = lock(&self.tables);
        let start = match &query.after {
            Some(after) => Bound::Excluded((query.followed.clone(), after.clone())),
            None => Bound::Included((query.followed.clone(), String::new())),
        };
        let target = query.relative_to.as_str();
        let page =
            t.follows
                .range((start, Bound::Unbounded))
                .take_while(|((followed, _), _)| *followed == query.followed)
                .filter(|((_, follower), _)| t.local.contains(follower))
                .take(query.limit)
                .map(|((_, follower), rec)| LocalFollower {
                    follower_id: follower.clone(),
                    settings: rec.settings.clone(),
                    blocks_target: t.blocks.contains(&(follower.clone(), target.to_owned())),
                    blocked_by_target: t.blocks.contains(&(target.to_owned(), follower.clone())),
                    follows_target: t.follows.get(&(target.to_owned(), follower.clone())).map(
                        |f| ExistingFollow {
                            settings: f.settings.clone(),
                            pending: f.state == FollowState::Pending,
                        },
                    ),
                })
                .collect();
        ready(Ok(page))
    }

    fn record_follow(
        &self,
        follower: &str,
        followed: &str,
        settings: &FollowSettings,
        state: FollowState,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        let mut t = lock(&self.tables);
        let result = Self::check_write(&t, follower).map(|()| {
            t.follows.insert(
                (followed.to_owned(), follower.to_owned()),
                FollowRecord {
                    settings: settings.clone(),
                    state,
                },
            );
        });
        ready(result)
    }

    fn remove_follow(
        &self,
        follower: &str,
        followed: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        let mut t = lock(&self.tables);
        let result = Self::check_write(&t, follower).map(|()| {
            t.follows
                .remove(&(followed.to_owned(), follower.to_owned()));
        });
        ready(result)
    }

    fn follow(
        &self,
        follower: &str,
        followed: &str,
    ) -> impl Future<Output = Result<Option<FollowRecord>, StoreError>> + Send {
        let t = lock(&self.tables);
        ready(Ok(t
            .follows
            .get(&(followed.to_owned(), follower.to_owned()))
            .cloned()))
    }

    fn blocks(
        &self,
        blocker: &str,
        blocked: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        let t = lock(&self.tables);
        ready(Ok(t
            .blocks
            .contains(&(blocker.to_owned(), blocked.to_owned()))))
    }
}
