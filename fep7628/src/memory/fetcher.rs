//! A fetcher serving documents from a map.

use std::collections::BTreeMap;
use std::future::{Future, ready};
use std::sync::Mutex;

use super::lock;
use crate::store::{FetchError, Fetched, Fetcher};

/// Serves registered documents; anything else is a 404. Counts fetches per URL.
#[derive(Debug, Default)]
pub struct MemoryFetcher {
    documents: Mutex<BTreeMap<String, Fetched>>,
    fetches: Mutex<BTreeMap<String, u32>>,
}

impl MemoryFetcher {
    /// An empty fetcher.
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves `body` as `application/activity+json` at `url` with status 200.
    pub fn insert_json(&self, url: impl Into<String>, body: impl Into<Vec<u8>>) {
        let url = url.into();
        lock(&self.documents).insert(
            url.clone(),
            Fetched {
                status: 200,
                final_url: url,
                content_type: Some("application/activity+json".into()),
                body: body.into(),
            },
        );
    }

    /// Serves `response` at `url` (any status, any final URL, to model redirects).
    pub fn insert(&self, url: impl Into<String>, response: Fetched) {
        lock(&self.documents).insert(url.into(), response);
    }

    /// How often `url` was fetched.
    pub fn fetch_count(&self, url: &str) -> u32 {
        lock(&self.fetches).get(url).copied().unwrap_or(0)
    }
}

impl Fetcher for MemoryFetcher {
    fn fetch(&self, url: &str) -> impl Future<Output = Result<Fetched, FetchError>> + Send {
        *lock(&self.fetches).entry(url.to_owned()).or_default() += 1;
        let found = lock(&self.documents).get(url).cloned();
        ready(Ok(found.unwrap_or_else(|| Fetched {
            status: 404,
            final_url: url.to_owned(),
            content_type: None,
            body: Vec::new(),
        })))
    }
}
