//! What `--database` names: SQLite files (the default, nothing to install) or a PostgreSQL
//! server given by a `postgres://` URL.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// Where the example keeps its three servers' data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Database {
    /// SQLite files in a fresh temporary directory, removed after the run (the default).
    #[default]
    SqliteTemp,
    /// SQLite files `old.sqlite`, `new.sqlite` and `follower.sqlite` in this directory
    /// (created if missing): replaced at the start of a run and kept after it.
    SqliteDir(PathBuf),
    /// A PostgreSQL database (`postgres://user:password@host:port/dbname`); each server gets
    /// its own schema, created for the run and dropped after it.
    Postgres(String),
}

/// A `--database` value that names no database the example can use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseDatabaseError {
    /// The value given.
    pub value: String,
    /// Why it is refused.
    pub reason: &'static str,
}

impl fmt::Display for ParseDatabaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--database {:?}: {}", self.value, self.reason)
    }
}

impl std::error::Error for ParseDatabaseError {}

impl FromStr for Database {
    type Err = ParseDatabaseError;

    /// `sqlite:` (or `sqlite`) is the default temporary SQLite directory; `sqlite:DIR`,
    /// `sqlite://DIR` or a bare path is a directory for the SQLite files; `postgres://…` or
    /// `postgresql://…` is a PostgreSQL server. Any other `scheme://` is refused.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let err = |reason| ParseDatabaseError {
            value: value.to_owned(),
            reason,
        };
        if value.trim().is_empty() {
            return Err(err(
                "empty; give sqlite:[DIR], a directory or a postgres:// URL",
            ));
        }
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            return Ok(Database::Postgres(value.to_owned()));
        }
        if let Some(rest) = value.strip_prefix("sqlite:") {
            let dir = rest.strip_prefix("//").unwrap_or(rest);
            return Ok(if dir.is_empty() {
                Database::SqliteTemp
            } else {
                Database::SqliteDir(PathBuf::from(dir))
            });
        }
        if value == "sqlite" {
            return Ok(Database::SqliteTemp);
        }
        if value.contains("://") {
            return Err(err("unknown scheme; use sqlite:[DIR] or postgres://"));
        }
        Ok(Database::SqliteDir(PathBuf::from(value)))
    }
}

impl Database {
    /// `SQLite` or `PostgreSQL`.
    pub fn engine(&self) -> &'static str {
        match self {
            Database::SqliteTemp | Database::SqliteDir(_) => "SQLite",
            Database::Postgres(_) => "PostgreSQL",
        }
    }
}

impl fmt::Display for Database {
    /// Describes the database, with any password in a URL replaced by `***`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::SqliteTemp => f.write_str("SQLite (temporary directory)"),
            Database::SqliteDir(d) => write!(f, "SQLite in {}", d.display()),
            Database::Postgres(url) => write!(f, "PostgreSQL {}", super::postgres::redact(url)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Database, ParseDatabaseError> {
        s.parse()
    }

    #[test]
    fn sqlite_forms() {
        assert_eq!(parse("sqlite:"), Ok(Database::SqliteTemp));
        assert_eq!(parse("sqlite"), Ok(Database::SqliteTemp));
        assert_eq!(
            parse("sqlite:/tmp/x"),
            Ok(Database::SqliteDir("/tmp/x".into()))
        );
        assert_eq!(
            parse("sqlite:///tmp/x"),
            Ok(Database::SqliteDir("/tmp/x".into()))
        );
        assert_eq!(parse("data"), Ok(Database::SqliteDir("data".into())));
    }

    #[test]
    fn postgres_urls() {
        let url = "postgres://u:pw@127.0.0.1:54329/db";
        assert_eq!(parse(url), Ok(Database::Postgres(url.into())));
        assert!(matches!(
            parse("postgresql://127.0.0.1/db"),
            Ok(Database::Postgres(_))
        ));
        assert_eq!(
            parse(url).map(|d| d.to_string()),
            Ok("PostgreSQL postgres://u:***@127.0.0.1:54329/db".into())
        );
    }

    #[test]
    fn refused_values_say_why() {
        for bad in ["", "  ", "mysql://x/y", "http://127.0.0.1/"] {
            let e = parse(bad).unwrap_err();
            assert!(e.to_string().starts_with("--database"), "{e}");
        }
    }
}
