//! Arbitrary bytes through the moderation policy file (TOML) and blocklist (CSV) parsers: never
//! a panic, and every error names a position inside the input.
#![no_main]

use fep7628::moderation::{Blocklist, PolicyFile};
use fep7628::policy::{DomainBlockPolicy, DomainSeverity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((selector, body)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    let lines = text.lines().count().max(1);
    match selector % 3 {
        // The blocklist alone.
        0 => match Blocklist::parse(text, DomainSeverity::Silence) {
            Ok(list) => {
                let mut last = 0;
                for entry in list.entries() {
                    assert!(entry.line >= last && entry.line <= lines + 1);
                    last = entry.line;
                    assert!(!entry.domain.is_empty() && !entry.domain.contains('*'));
                }
                let mut policy = DomainBlockPolicy::new();
                list.apply_to(&mut policy);
                for entry in list.entries() {
                    assert!(policy.rule_for(&entry.domain).is_some());
                }
                // Obfuscated rows are kept by digest only, each counted once per digest.
                let digests: std::collections::HashSet<_> =
                    list.obfuscated().iter().map(|e| e.digest).collect();
                assert!(policy.len() <= list.entries().len() + digests.len());
                for entry in list.obfuscated() {
                    assert!(entry.line <= lines + 1 && entry.shown_as.contains('*'));
                }
            }
            Err(e) => {
                assert!(e.line <= lines + 1, "line {} of {lines}", e.line);
                assert!(!e.kind().is_empty());
            }
        },
        // The policy file, with every blocklist path answered by the same input.
        1 => {
            let mut load = |_: &str| Ok(text.to_owned());
            match PolicyFile::from_toml_str_with_loader(text, &mut load) {
                Ok(file) => {
                    let _ = file.summary();
                }
                Err(e) => {
                    assert!(e.line() >= 1 && e.line() <= lines + 1, "{e}");
                    assert!(e.column() >= 1);
                    assert!(!e.at().is_empty());
                }
            }
        }
        // The policy file with a fixed valid header, the input as a blocklist.
        _ => {
            let policy = "version = 1\n[[domain_blocks.lists]]\npath = \"x.csv\"\n";
            let mut load = |_: &str| Ok(text.to_owned());
            if let Err(e) = PolicyFile::from_toml_str_with_loader(policy, &mut load) {
                assert_eq!(e.line(), 3);
                assert!(e.list().is_some(), "{e}");
            }
        }
    }
});
