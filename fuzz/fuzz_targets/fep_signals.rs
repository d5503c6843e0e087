//! fep7628::signals: arbitrary bytes as a FIRES change batch (strict I-JSON, records, range,
//! ordering), verified against a trusted key and applied to a consumer's view; and as audit
//! JSON lines exported to change records. Invariant: a batch that parses re-serialises to a
//! document that parses to the same batch.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use fep7628::signals::{
    ChangeBatch, ChangeLog, ExportConfig, LocalView, TrustedExporters, export_events,
    parse_audit_jsonl, verify_batch,
};
use identity_links::ed25519_dalek::SigningKey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((document, batch)) = ChangeBatch::parse(data) {
        let again = ChangeBatch::from_json(&batch.to_json());
        assert_eq!(
            again.as_ref(),
            Ok(&batch),
            "a parsed batch must re-parse to itself"
        );
        let mut trusted = TrustedExporters::new();
        trusted.trust_key(
            batch.issuer(),
            SigningKey::from_bytes(&[1; 32]).verifying_key(),
        );
        if let Ok(verified) = verify_batch(&document, &trusted) {
            let _ = LocalView::following(batch.issuer()).apply_batch(&verified);
        }
        let mut view = LocalView::new();
        for record in batch.records() {
            let _ = view.apply(record);
        }
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(events) = parse_audit_jsonl(text)
    {
        let mut log = ChangeLog::new();
        let now = UNIX_EPOCH + Duration::from_secs(1_764_547_200);
        let mut n = 0u8;
        let _ = export_events(&mut log, &events, &ExportConfig::default(), now, || {
            n = n.wrapping_add(1);
            [n; 10]
        });
        let records = log.records();
        assert!(records.windows(2).all(|w| w[0].change_id < w[1].change_id));
    }
});
