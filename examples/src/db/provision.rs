//! One run's storage: before the servers start, a place for each server's data that holds
//! nothing from an earlier run; after the run, that place removed (or kept, for an explicit
//! SQLite directory).
//!
//! PostgreSQL: one schema per server, `fep7628_<run token>_<server>`. The run token is unique
//! per run (process id and start time), so concurrent runs on one database (the tests) do not
//! meet; a schema of that name is dropped and created anew at the start, and dropped again at
//! the end. No other schema of the database is touched.

use std::path::PathBuf;

use anyhow::Context;

use super::Location;
use super::postgres::{connect, quote_schema};
use super::url::Database;

/// The storage of one run of the example.
#[derive(Debug)]
pub struct RunStorage {
    database: Database,
    /// The SQLite directory (temporary or given).
    dir: PathBuf,
    /// PostgreSQL schemas by server name.
    schemas: Vec<(String, String)>,
}

fn sqlite_file(dir: &std::path::Path, server: &str) -> PathBuf {
    dir.join(format!("{server}.sqlite"))
}

impl RunStorage {
    /// Prepares empty storage for `servers` (names made of `[a-z]`): removes earlier SQLite
    /// files of these servers, or (re)creates their PostgreSQL schemas. `token` names this run
    /// (`[a-z0-9_]`).
    pub async fn prepare(
        database: &Database,
        token: &str,
        servers: &[&str],
    ) -> anyhow::Result<RunStorage> {
        let mut storage = RunStorage {
            database: database.clone(),
            dir: PathBuf::new(),
            schemas: Vec::new(),
        };
        match database {
            Database::SqliteTemp | Database::SqliteDir(_) => {
                let dir = match database {
                    Database::SqliteDir(dir) => dir.clone(),
                    _ => std::env::temp_dir().join(format!("fep7628-migration-{token}")),
                };
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                for server in servers {
                    let file = sqlite_file(&dir, server);
                    for suffix in ["", "-wal", "-shm"] {
                        let mut path = file.clone().into_os_string();
                        path.push(suffix);
                        match std::fs::remove_file(&path) {
                            Ok(()) => {}
                            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                            Err(e) => {
                                return Err(e).with_context(|| {
                                    format!("removing {}", PathBuf::from(&path).display())
                                });
                            }
                        }
                    }
                }
                storage.dir = dir;
            }
            Database::Postgres(url) => {
                let client = connect(url).await?;
                for server in servers {
                    let schema = format!("fep7628_{token}_{server}");
                    let quoted = quote_schema(&schema)?;
                    client
                        .batch_execute(&format!(
                            "DROP SCHEMA IF EXISTS {quoted} CASCADE; CREATE SCHEMA {quoted}"
                        ))
                        .await
                        .with_context(|| format!("creating schema {schema}"))?;
                    storage.schemas.push(((*server).to_owned(), schema));
                }
            }
        }
        Ok(storage)
    }

    /// Where `server`'s data lives (a server not passed to [`RunStorage::prepare`] gets an
    /// SQLite file or schema name all the same; opening it then fails on PostgreSQL).
    pub fn location(&self, server: &str) -> Location {
        match &self.database {
            Database::SqliteTemp | Database::SqliteDir(_) => {
                Location::SqliteFile(sqlite_file(&self.dir, server))
            }
            Database::Postgres(url) => {
                let schema = self.schemas.iter().find(|(s, _)| s == server).map_or_else(
                    || format!("fep7628_unprepared_{server}"),
                    |(_, n)| n.clone(),
                );
                Location::PostgresSchema {
                    url: url.clone(),
                    schema,
                }
            }
        }
    }

    /// The database chosen.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// Removes the run's data: the temporary SQLite directory or the PostgreSQL schemas (an
    /// explicit SQLite directory is kept for inspection).
    pub async fn cleanup(self) -> anyhow::Result<()> {
        match &self.database {
            Database::SqliteTemp => std::fs::remove_dir_all(&self.dir)
                .with_context(|| format!("removing {}", self.dir.display())),
            Database::SqliteDir(_) => Ok(()),
            Database::Postgres(url) => {
                let client = connect(url).await?;
                for (_, schema) in &self.schemas {
                    client
                        .batch_execute(&format!(
                            "DROP SCHEMA IF EXISTS {} CASCADE",
                            quote_schema(schema)?
                        ))
                        .await
                        .with_context(|| format!("dropping schema {schema}"))?;
                }
                Ok(())
            }
        }
    }
}
