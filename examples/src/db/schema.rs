//! The tables of one server, written once and rendered for each SQL dialect, so SQLite and
//! PostgreSQL hold the same columns with the same meaning.
//!
//! Text keys compare byte-wise in both (SQLite's default `BINARY` collation, PostgreSQL's
//! `COLLATE "C"`): the re-follow plan pages followers with "id strictly greater than the cursor",
//! which must agree with `ORDER BY` and with the byte order the `fep7628` plan assumes.
//! Times are whole seconds since the Unix epoch in a 64-bit integer (nanoseconds in the
//! moderation audit log, `review_audit.at_nanos`); JSON values are stored as text.
//!
//! The `review_` tables hold moderation: the typed audit log (one JSON entry per row next to
//! the columns that are queried: migration id, normalised origin host, time, dedupe key), the
//! review queue, revert checkpoints and imported objects.

/// Which SQL dialect to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite 3 (`rusqlite`, bundled).
    Sqlite,
    /// PostgreSQL (tested with 15).
    Postgres,
}

/// The type and constraints of one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    /// Text compared byte-wise (ids, keys), not null.
    Key,
    /// Text, not null.
    Text,
    /// Text, nullable.
    OptText,
    /// A JSON array as text, not null, `'[]'` by default.
    JsonArray,
    /// A boolean, not null.
    Bool,
    /// A boolean, not null, false by default.
    Flag,
    /// A 64-bit integer (seconds since the epoch), not null.
    Int,
    /// Bytes, not null.
    Bytes,
    /// An increasing 64-bit row number, the primary key.
    Serial,
}

/// One table: its columns, its primary key (unless a [`Col::Serial`] column is) and checks.
struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Col)],
    primary_key: &'static [&'static str],
    check: Option<&'static str>,
}

const TABLES: &[Table] = &[
    Table {
        name: "accounts",
        columns: &[
            ("username", Col::Key),
            ("also_known_as", Col::JsonArray),
            ("moved_to", Col::OptText),
            ("attachment", Col::JsonArray),
        ],
        primary_key: &["username"],
        check: None,
    },
    Table {
        name: "remote_actors",
        columns: &[
            ("id", Col::Key),
            ("inbox", Col::Text),
            ("shared_inbox", Col::OptText),
        ],
        primary_key: &["id"],
        check: None,
    },
    Table {
        name: "actor_documents",
        columns: &[("id", Col::Key), ("doc", Col::Bytes)],
        primary_key: &["id"],
        check: None,
    },
    Table {
        name: "follows",
        columns: &[
            ("follower", Col::Key),
            ("followed", Col::Key),
            ("local", Col::Bool),
            ("state", Col::Text),
            ("settings", Col::Text),
        ],
        primary_key: &["follower", "followed"],
        check: Some("state IN ('accepted', 'pending')"),
    },
    Table {
        name: "blocks",
        columns: &[("blocker", Col::Key), ("blocked", Col::Key)],
        primary_key: &["blocker", "blocked"],
        check: None,
    },
    Table {
        name: "moves",
        columns: &[
            ("origin", Col::Key),
            ("target", Col::Key),
            ("migration_id", Col::Text),
            ("activity_id", Col::OptText),
            ("verified_at", Col::Int),
        ],
        primary_key: &["origin", "target"],
        check: None,
    },
    Table {
        name: "cooldowns",
        columns: &[("scope", Col::Key), ("until", Col::Int)],
        primary_key: &["scope"],
        check: None,
    },
    Table {
        name: "checkpoints",
        columns: &[
            ("migration_id", Col::Key),
            ("checkpoint", Col::Text),
            ("finished", Col::Flag),
        ],
        primary_key: &["migration_id"],
        check: None,
    },
    Table {
        name: "audit",
        columns: &[
            ("seq", Col::Serial),
            ("migration_id", Col::Text),
            ("at", Col::Int),
            ("event", Col::Text),
            ("subject", Col::OptText),
            ("detail", Col::Text),
        ],
        primary_key: &[],
        check: None,
    },
    Table {
        name: "deliveries",
        columns: &[("key", Col::Key), ("inbox", Col::Text)],
        primary_key: &["key"],
        check: None,
    },
    Table {
        name: "notifications",
        columns: &[("key", Col::Key), ("follower", Col::Text)],
        primary_key: &["key"],
        check: None,
    },
    Table {
        name: "received",
        columns: &[
            ("seq", Col::Serial),
            ("kind", Col::Text),
            ("actor", Col::Key),
            ("object", Col::Key),
        ],
        primary_key: &[],
        check: None,
    },
    Table {
        name: "review_audit",
        columns: &[
            ("seq", Col::Serial),
            ("migration_id", Col::Text),
            ("origin_host", Col::OptText),
            ("at_nanos", Col::Int),
            ("kind", Col::Text),
            ("dedupe_key", Col::OptText),
            ("entry", Col::Text),
        ],
        primary_key: &[],
        check: None,
    },
    Table {
        name: "review_items",
        columns: &[
            ("seq", Col::Serial),
            ("id", Col::Key),
            ("migration_id", Col::Text),
            ("state", Col::Text),
            ("item", Col::Text),
        ],
        primary_key: &[],
        check: Some("state IN ('pending', 'approved', 'rejected')"),
    },
    Table {
        name: "review_revert_checkpoints",
        columns: &[("migration_id", Col::Key), ("checkpoint", Col::Text)],
        primary_key: &["migration_id"],
        check: None,
    },
    Table {
        name: "review_imported_objects",
        columns: &[("object_id", Col::Key)],
        primary_key: &["object_id"],
        check: None,
    },
];

/// One index: its name, table, columns and whether it is unique.
struct Index {
    name: &'static str,
    table: &'static str,
    columns: &'static [&'static str],
    unique: bool,
}

const INDEXES: &[Index] = &[
    // An action carried out again after a crash is audited once (`ON CONFLICT DO NOTHING`);
    // entries without a key (NULL) never conflict.
    Index {
        name: "review_audit_dedupe",
        table: "review_audit",
        columns: &["dedupe_key"],
        unique: true,
    },
    Index {
        name: "review_audit_by_migration",
        table: "review_audit",
        columns: &["migration_id", "seq"],
        unique: false,
    },
    Index {
        name: "review_audit_by_origin",
        table: "review_audit",
        columns: &["origin_host", "seq"],
        unique: false,
    },
    Index {
        name: "review_items_id",
        table: "review_items",
        columns: &["id"],
        unique: true,
    },
    Index {
        name: "review_items_by_state",
        table: "review_items",
        columns: &["state", "seq"],
        unique: false,
    },
];

fn column_type(col: Col, dialect: Dialect) -> &'static str {
    use Dialect::{Postgres, Sqlite};
    match (col, dialect) {
        (Col::Key, Sqlite) => "TEXT NOT NULL",
        (Col::Key, Postgres) => "TEXT COLLATE \"C\" NOT NULL",
        (Col::Text, _) => "TEXT NOT NULL",
        (Col::OptText, _) => "TEXT",
        (Col::JsonArray, _) => "TEXT NOT NULL DEFAULT '[]'",
        (Col::Bool, Sqlite) => "INTEGER NOT NULL CHECK (%c IN (0, 1))",
        (Col::Bool, Postgres) => "BOOLEAN NOT NULL",
        (Col::Flag, Sqlite) => "INTEGER NOT NULL DEFAULT 0 CHECK (%c IN (0, 1))",
        (Col::Flag, Postgres) => "BOOLEAN NOT NULL DEFAULT FALSE",
        (Col::Int, Sqlite) => "INTEGER NOT NULL",
        (Col::Int, Postgres) => "BIGINT NOT NULL",
        (Col::Bytes, Sqlite) => "BLOB NOT NULL",
        (Col::Bytes, Postgres) => "BYTEA NOT NULL",
        (Col::Serial, Sqlite) => "INTEGER PRIMARY KEY AUTOINCREMENT",
        (Col::Serial, Postgres) => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    }
}

/// `CREATE TABLE IF NOT EXISTS` statements for every table, then `CREATE [UNIQUE] INDEX IF NOT
/// EXISTS` for every index, separated by `;` (one batch; the same text for both dialects).
pub fn create_tables(dialect: Dialect) -> String {
    let mut sql = String::new();
    for table in TABLES {
        let mut parts: Vec<String> = table
            .columns
            .iter()
            .map(|(name, col)| format!("{name} {}", column_type(*col, dialect).replace("%c", name)))
            .collect();
        if !table.primary_key.is_empty() {
            parts.push(format!("PRIMARY KEY ({})", table.primary_key.join(", ")));
        }
        if let Some(check) = table.check {
            parts.push(format!("CHECK ({check})"));
        }
        sql.push_str(&format!(
            "CREATE TABLE IF NOT EXISTS {} (\n    {}\n);\n",
            table.name,
            parts.join(",\n    ")
        ));
    }
    for index in INDEXES {
        sql.push_str(&format!(
            "CREATE {}INDEX IF NOT EXISTS {} ON {} ({});\n",
            if index.unique { "UNIQUE " } else { "" },
            index.name,
            index.table,
            index.columns.join(", ")
        ));
    }
    sql
}

/// Names of every table, in creation order.
pub fn table_names() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|t| t.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_dialects_create_every_table_once() {
        for dialect in [Dialect::Sqlite, Dialect::Postgres] {
            let sql = create_tables(dialect);
            for name in table_names() {
                let head = format!("CREATE TABLE IF NOT EXISTS {name} (");
                assert_eq!(sql.matches(&head).count(), 1, "{dialect:?} {name}");
            }
            assert!(!sql.contains("%c"), "{sql}");
            for index in INDEXES {
                assert!(table_names().any(|t| t == index.table), "{}", index.name);
                assert_eq!(sql.matches(&format!(" {} ON ", index.name)).count(), 1);
            }
        }
    }

    #[test]
    fn the_sqlite_schema_runs_and_enforces_its_checks() {
        let conn = rusqlite::Connection::open_in_memory().expect("in-memory SQLite");
        conn.execute_batch(&create_tables(Dialect::Sqlite))
            .expect("schema");
        conn.execute(
            "INSERT INTO follows VALUES ('a', 'b', 1, 'accepted', '{}')",
            [],
        )
        .expect("a valid row");
        let bad_state = conn.execute(
            "INSERT INTO follows VALUES ('c', 'b', 1, 'maybe', '{}')",
            [],
        );
        assert!(bad_state.is_err());
        let bad_bool = conn.execute(
            "INSERT INTO follows VALUES ('d', 'b', 7, 'accepted', '{}')",
            [],
        );
        assert!(bad_bool.is_err());
        // The audit log's dedupe key is unique, but any number of entries may have none.
        let audit = "INSERT INTO review_audit (migration_id, at_nanos, kind, dedupe_key, entry)
                     VALUES ('m', 0, 'k', ?1, '{}')";
        conn.execute(audit, [Some("key")])
            .expect("first keyed entry");
        assert!(conn.execute(audit, [Some("key")]).is_err());
        conn.execute(audit, [None::<&str>]).expect("unkeyed entry");
        conn.execute(audit, [None::<&str>])
            .expect("second unkeyed entry");
        let bad_review_state =
            conn.execute("INSERT INTO review_items (id, migration_id, state, item) VALUES ('i', 'm', 'maybe', '{}')", []);
        assert!(bad_review_state.is_err());
    }

    #[test]
    fn postgres_keys_compare_byte_wise() {
        let sql = create_tables(Dialect::Postgres);
        assert!(
            sql.contains("follower TEXT COLLATE \"C\" NOT NULL"),
            "{sql}"
        );
        assert!(sql.contains("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"));
    }
}
