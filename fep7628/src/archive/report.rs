//! The machine-readable screening report: totals, counts per status, provenance, rule and
//! month, and the held and rejected items with their reasons (a bounded number listed, the
//! rest counted). Its size does not grow with the number of posts.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::date::month_of;
use super::limits::Limits;
use super::policy::Action;
use super::provenance::Provenance;
use super::screen::ItemScreening;

/// Items per status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// Accepted.
    pub accept: u64,
    /// Held for review.
    pub hold: u64,
    /// Rejected.
    pub reject: u64,
}

impl StatusCounts {
    fn add(&mut self, action: Action) {
        match action {
            Action::Accept => self.accept += 1,
            Action::Hold => self.hold += 1,
            Action::Reject => self.reject += 1,
        }
    }

    /// All items.
    pub fn total(&self) -> u64 {
        self.accept + self.hold + self.reject
    }
}

/// Items per provenance status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ProvenanceCounts {
    /// A proof by the origin actor's key verified.
    pub verified: u64,
    /// No proof.
    pub unverified: u64,
    /// A proof failed.
    pub invalid: u64,
}

/// Media seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MediaCounts {
    /// Items with at least one attachment.
    pub posts_with_media: u64,
    /// Attachments declared.
    pub attachments: u64,
    /// Files under `media_attachments/` in the archive.
    pub files_in_archive: u64,
}

/// A list of links (likes, bookmarks): how many, how many on blocked domains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LinkCounts {
    /// Entries.
    pub total: u64,
    /// Entries whose host is a blocked domain (they would not be imported).
    pub blocked_domain: u64,
}

/// The screening report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreeningReport {
    /// `true` when nothing was held or rejected.
    pub valid: bool,
    /// `mastodon_archive` or `outbox`.
    pub format: &'static str,
    /// The origin actor's id (`actor.json`), when known.
    pub actor: Option<String>,
    /// The screening time (Unix seconds).
    pub now: i64,
    /// The collection's declared `totalItems`, when it had one.
    pub declared_total_items: Option<u64>,
    /// Items per status (`total` = items screened).
    pub totals: Totals,
    /// Items per provenance status.
    pub provenance: ProvenanceCounts,
    /// Per rule code: items it held or rejected (an item counts once per rule, with the most
    /// severe action that rule took on it).
    pub rules: BTreeMap<&'static str, StatusCounts>,
    /// Per keyword rule name: items it matched.
    pub keywords: BTreeMap<String, u64>,
    /// Per month of `published` (`YYYY-MM`; `unknown` without a date; `other` past the
    /// month limit): items per status.
    pub months: BTreeMap<String, StatusCounts>,
    /// Media seen.
    pub media: MediaCounts,
    /// `likes.json` (a Mastodon archive).
    pub likes: Option<LinkCounts>,
    /// `bookmarks.json` (a Mastodon archive).
    pub bookmarks: Option<LinkCounts>,
    /// Held and rejected items with their reasons, in order, at most [`Limits::max_listed`].
    pub items: Vec<ItemScreening>,
    /// Held and rejected items not listed.
    pub items_not_listed: u64,
}

/// Totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Items screened.
    pub total: u64,
    /// Accepted.
    pub accept: u64,
    /// Held.
    pub hold: u64,
    /// Rejected.
    pub reject: u64,
}

impl ScreeningReport {
    /// The report as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Builds a report item by item.
#[derive(Debug)]
pub struct ReportBuilder {
    report: ScreeningReport,
    status: StatusCounts,
    max_listed: usize,
    max_months: usize,
}

impl ReportBuilder {
    /// An empty report.
    pub fn new(format: &'static str, actor: Option<String>, now: i64, limits: &Limits) -> Self {
        ReportBuilder {
            report: ScreeningReport {
                valid: true,
                format,
                actor,
                now,
                declared_total_items: None,
                totals: Totals::default(),
                provenance: ProvenanceCounts::default(),
                rules: BTreeMap::new(),
                keywords: BTreeMap::new(),
                months: BTreeMap::new(),
                media: MediaCounts::default(),
                likes: None,
                bookmarks: None,
                items: Vec::new(),
                items_not_listed: 0,
            },
            status: StatusCounts::default(),
            max_listed: limits.max_listed,
            max_months: limits.max_months,
        }
    }

    /// Counts one screened item (and lists it when held or rejected, within the cap).
    pub fn add(&mut self, item: ItemScreening) {
        let attachments = item.attachments;
        let r = &mut self.report;
        self.status.add(item.status);
        match item.provenance {
            Provenance::Verified => r.provenance.verified += 1,
            Provenance::Unverified => r.provenance.unverified += 1,
            Provenance::Invalid => r.provenance.invalid += 1,
        }
        if attachments > 0 {
            r.media.posts_with_media += 1;
            r.media.attachments += attachments;
        }
        let mut per_rule: BTreeMap<&'static str, Action> = BTreeMap::new();
        for reason in &item.reasons {
            let slot = per_rule.entry(reason.rule).or_insert(reason.action);
            *slot = (*slot).max(reason.action);
            if reason.rule == super::screen::rule::KEYWORD {
                // Names come from the policy: bounded by its number of rules.
                *r.keywords.entry(reason.detail.clone()).or_insert(0) += 1;
            }
        }
        for (rule, action) in per_rule {
            r.rules.entry(rule).or_default().add(action);
        }
        let month = match item.published {
            Some(t) => month_of(t),
            None => "unknown".to_owned(),
        };
        let month = if r.months.contains_key(&month) || r.months.len() < self.max_months {
            month
        } else {
            "other".to_owned()
        };
        r.months.entry(month).or_default().add(item.status);
        if item.status != Action::Accept {
            if r.items.len() < self.max_listed {
                r.items.push(item);
            } else {
                r.items_not_listed += 1;
            }
        }
    }

    /// Sets the collection's declared `totalItems`.
    pub fn declared_total_items(&mut self, n: Option<u64>) {
        self.report.declared_total_items = n;
    }

    /// Sets the number of media files in the archive.
    pub fn files_in_archive(&mut self, n: u64) {
        self.report.media.files_in_archive = n;
    }

    /// Sets the likes and bookmarks counts.
    pub fn links(&mut self, likes: Option<LinkCounts>, bookmarks: Option<LinkCounts>) {
        self.report.likes = likes;
        self.report.bookmarks = bookmarks;
    }

    /// The finished report.
    pub fn finish(mut self) -> ScreeningReport {
        let s = self.status;
        self.report.totals = Totals {
            total: s.total(),
            accept: s.accept,
            hold: s.hold,
            reject: s.reject,
        };
        self.report.valid = s.hold == 0 && s.reject == 0;
        self.report
    }
}
