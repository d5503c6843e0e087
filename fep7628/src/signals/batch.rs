//! A batch of change records as one JSON document, signed with a FEP-8b32 proof.
//!
//! FIRES' HTTP API is not specified yet (`docs/reference/protocol/index.md` "is still being
//! written"); `docs/concepts/changes.md` only says a consumer asks for the records whose
//! `change_id` is greater than the last one it knows. The document is ours:
//!
//! ```json
//! {
//!   "type": "ChangeBatch",
//!   "attributedTo": "https://mod.example/actor",
//!   "after_change_id": null,
//!   "first_change_id": "019ad8d2-…",
//!   "last_change_id": "019ad8d2-…",
//!   "changes": [ { "change_id": "019ad8d2-…", "type": "recommendation", … } ],
//!   "proof": { "type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", … }
//! }
//! ```
//!
//! `attributedTo` is the exporter (the server's actor): it is the object's owner that
//! FEP-8b32 verification checks against the key's controller. `after_change_id` is the cursor
//! the batch continues from (`null`: from the start), so a consumer can tell a gap or a replay
//! from a batch that continues exactly where it stopped; `first_change_id` / `last_change_id`
//! are the range of the records (`null` when there are none).

use std::time::SystemTime;

use serde_json::{Map, Value};

use crate::signals::change_id::ChangeId;
use crate::signals::change_log::{ChangeLog, check_after};
use crate::signals::error::SignalsError;
use crate::signals::json::{object, optional_str, pointer, required_str};
use crate::signals::record::ChangeRecord;
use crate::signals::time::Timestamp;

/// The batch document's `type`.
pub const BATCH_TYPE: &str = "ChangeBatch";
/// Most records in one batch.
pub const MAX_BATCH_RECORDS: usize = 10_000;

/// A batch of change records from one exporter, continuing after a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeBatch {
    issuer: String,
    after: Option<ChangeId>,
    records: Vec<ChangeRecord>,
}

impl ChangeBatch {
    /// The records of `log` after `after` (at most [`MAX_BATCH_RECORDS`]; ask again from the
    /// batch's last id for more), issued by `issuer`.
    pub fn from_log(log: &ChangeLog, issuer: &str, after: Option<ChangeId>) -> ChangeBatch {
        let records = log.changes_since(after);
        let records = records.get(..MAX_BATCH_RECORDS).unwrap_or(records);
        ChangeBatch {
            issuer: issuer.to_owned(),
            after,
            records: records.to_vec(),
        }
    }

    /// The exporter's id (`attributedTo`).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// `after_change_id`: the cursor the batch continues from.
    pub fn after(&self) -> Option<ChangeId> {
        self.after
    }

    /// `first_change_id`.
    pub fn first(&self) -> Option<ChangeId> {
        self.records.first().map(|r| r.change_id)
    }

    /// `last_change_id`.
    pub fn last(&self) -> Option<ChangeId> {
        self.records.last().map(|r| r.change_id)
    }

    /// The records, in increasing `change_id` order.
    pub fn records(&self) -> &[ChangeRecord] {
        &self.records
    }

    /// The unsigned JSON document.
    pub fn to_json(&self) -> Value {
        let id = |c: Option<ChangeId>| c.map_or(Value::Null, |c| c.to_string().into());
        let mut m = Map::new();
        m.insert("type".into(), BATCH_TYPE.into());
        m.insert("attributedTo".into(), self.issuer.as_str().into());
        m.insert("after_change_id".into(), id(self.after));
        m.insert("first_change_id".into(), id(self.first()));
        m.insert("last_change_id".into(), id(self.last()));
        m.insert(
            "changes".into(),
            Value::Array(self.records.iter().map(ChangeRecord::to_json).collect()),
        );
        Value::Object(m)
    }

    /// The signed JSON document: an `eddsa-jcs-2022` proof (FEP-8b32, purpose
    /// `assertionMethod`) by `key`, named `verification_method` (a key listed in the issuer's
    /// `assertionMethod`), created at `now`.
    pub fn sign(
        &self,
        key: &identity_links::ed25519_dalek::SigningKey,
        verification_method: &str,
        now: SystemTime,
    ) -> Result<Value, SignalsError> {
        let created = Timestamp::from_system_time(now);
        identity_links::fep8b32::sign_object(
            &self.to_json(),
            key,
            verification_method,
            created.as_str(),
        )
        .map_err(|e| SignalsError::SigningFailed {
            proof_kind: e.kind(),
            message: e.to_string(),
        })
    }

    /// Reads a batch document (signed or not; the proof is not looked at — see
    /// [`crate::signals::verify_batch`]): its type, issuer, cursor, range and every record,
    /// which must be in strictly increasing `change_id` order after `after_change_id`.
    ///
    /// ```
    /// use fep7628::signals::ChangeBatch;
    /// let doc = serde_json::json!({"type": "ChangeBatch", "attributedTo": "https://a.example/actor",
    ///     "after_change_id": null, "first_change_id": null, "last_change_id": null,
    ///     "changes": [{"change_id": "0192d0c4-8a58-7cc2-9d0e-5b1f3a2c4d5e", "type": "warning"}]});
    /// let err = ChangeBatch::from_json(&doc).unwrap_err();
    /// assert_eq!((err.kind(), err.at()), ("unknown_change_type", Some("/changes/0/type")));
    /// ```
    pub fn from_json(value: &Value) -> Result<ChangeBatch, SignalsError> {
        let m = object(value, "")?;
        let ty = required_str(m, "", "type")?;
        if ty != BATCH_TYPE {
            return Err(SignalsError::invalid(
                "/type",
                format!("a batch has type {BATCH_TYPE:?}"),
            ));
        }
        let issuer = required_str(m, "", "attributedTo")?;
        let issuer_ok = url::Url::parse(issuer)
            .is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.host_str().is_some());
        if !issuer_ok {
            return Err(SignalsError::invalid(
                "/attributedTo",
                "the issuer is an absolute http(s) actor id",
            ));
        }
        let cursor = |name: &str| -> Result<Option<ChangeId>, SignalsError> {
            optional_str(m, "", name)?
                .map(|s| ChangeId::parse(s, &pointer("", name)))
                .transpose()
        };
        let after = cursor("after_change_id")?;
        let first = cursor("first_change_id")?;
        let last = cursor("last_change_id")?;
        let items = match m.get("changes") {
            None => {
                return Err(SignalsError::MissingField {
                    at: "/changes".into(),
                });
            }
            Some(Value::Array(items)) => items,
            Some(_) => return Err(SignalsError::invalid("/changes", "not an array")),
        };
        if items.len() > MAX_BATCH_RECORDS {
            return Err(SignalsError::LimitExceeded {
                at: "/changes".into(),
                what: "records in a batch",
                limit: MAX_BATCH_RECORDS,
            });
        }
        let mut records = Vec::with_capacity(items.len());
        let mut previous = after;
        for (i, item) in items.iter().enumerate() {
            let at = pointer("/changes", &i.to_string());
            let record = ChangeRecord::from_json(item, &at)?;
            if let Some(previous) = previous {
                check_after(record.change_id, previous, &pointer(&at, "change_id"))?;
            }
            previous = Some(record.change_id);
            records.push(record);
        }
        let batch = ChangeBatch {
            issuer: issuer.to_owned(),
            after,
            records,
        };
        for (name, declared, actual) in [
            ("first_change_id", first, batch.first()),
            ("last_change_id", last, batch.last()),
        ] {
            if declared != actual {
                return Err(SignalsError::RangeMismatch {
                    at: pointer("", name),
                    reason: format!(
                        "declared {}, the records give {}",
                        show(declared),
                        show(actual)
                    ),
                });
            }
        }
        Ok(batch)
    }

    /// Parses the bytes of a batch document as strict I-JSON (identity-links' parser: no
    /// duplicate names, bounded size and depth), then [`Self::from_json`]. Returns the parsed
    /// document too, for verification.
    pub fn parse(bytes: &[u8]) -> Result<(Value, ChangeBatch), SignalsError> {
        let value =
            identity_links::jcs::parse_strict(bytes).map_err(|e| SignalsError::InvalidJson {
                reason: e.to_string(),
            })?;
        let batch = ChangeBatch::from_json(&value)?;
        Ok((value, batch))
    }
}

fn show(id: Option<ChangeId>) -> String {
    id.map_or_else(|| "null".to_owned(), |id| id.to_string())
}
