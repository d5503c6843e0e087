//! The HTML screening report, opened in headless Chromium: the screenshot must show the
//! counts. Text is read back with OCR (`tesseract`), and the PNG must not be blank.
//!
//! Needs `/usr/bin/chromium` and `tesseract` (Debian: `apt-get install -y chromium
//! tesseract-ocr`). Under `CI=true` a missing tool fails the test; elsewhere it is skipped
//! with a loud message.
#![cfg(feature = "archive")]

#[path = "support/archive_gen.rs"]
mod archive_gen;

use std::path::{Path, PathBuf};
use std::process::Command;

use archive_gen::{Corpus, NOW, TEST_POLICY, archive_bytes, expected};
use fep7628::archive::{ImportPolicy, Limits, html, screen_mastodon_archive};

const CHROMIUM: &str = "/usr/bin/chromium";

fn tool_available(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `true` when the tools are there; under CI a missing tool is a failure.
fn tools_or_skip() -> bool {
    let chromium = Path::new(CHROMIUM).exists();
    let tesseract = tool_available("tesseract", "--version");
    if chromium && tesseract {
        return true;
    }
    let missing = format!(
        "report_screenshot: missing {}{} (apt-get install -y chromium tesseract-ocr)",
        if chromium { "" } else { "/usr/bin/chromium " },
        if tesseract { "" } else { "tesseract" }
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{missing}; CI=true requires them");
    }
    eprintln!("\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    eprintln!("!!! SKIPPED: {missing}");
    eprintln!(
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
    );
    false
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fep7628-report-shot-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// PNG dimensions and whether the image has real content: decoded far enough to count
/// distinct bytes of the compressed stream would be weak, so the check is on the OCR text
/// plus the file: a blank page compresses to a few KiB.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(..8)? != b"\x89PNG\r\n\x1a\n" || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let be = |r: std::ops::Range<usize>| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(r)?.try_into().ok()?))
    };
    Some((be(16..20)?, be(20..24)?))
}

#[test]
fn the_html_report_shows_the_counts_in_chromium() {
    if !tools_or_skip() {
        return;
    }
    let dir = scratch();
    let (bytes, truth) = archive_bytes(&Corpus::new(150));
    let policy = ImportPolicy::from_toml(TEST_POLICY).expect("policy");
    let report =
        screen_mastodon_archive(&&bytes[..], &policy, NOW, &Limits::default()).expect("screens");
    let e = expected(&truth);
    let page = dir.join("report.html");
    std::fs::write(&page, html::render(&report)).expect("write html");
    let shot = dir.join("report.png");
    let profile = dir.join("profile");
    let url = format!("file://{}", page.display());
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,1600",
            &url,
        ])
        .output()
        .expect("run chromium");
    assert!(
        shot.exists(),
        "chromium wrote no screenshot (status {:?}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).expect("read png");
    assert_eq!(png_size(&png), Some((1200, 1600)), "a 1200x1600 PNG");
    // A blank white 1200x1600 page compresses to ~10 KiB; text and tables make it far larger.
    assert!(
        png.len() > 40_000,
        "the screenshot looks blank ({} bytes)",
        png.len()
    );

    let ocr = Command::new("tesseract")
        .arg(&shot)
        .arg("-")
        .output()
        .expect("run tesseract");
    assert!(
        ocr.status.success(),
        "tesseract failed: {}",
        String::from_utf8_lossy(&ocr.stderr)
    );
    let text = String::from_utf8_lossy(&ocr.stdout).into_owned();
    eprintln!("OCR text:\n{text}");
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '-')
        .collect();
    let has = |w: &str| words.contains(&w);
    for label in [
        "Total",
        "Accepted",
        "Held",
        "Rejected",
        "Provenance",
        "verified",
        "unverified",
        "invalid",
    ] {
        assert!(has(label), "OCR does not show {label:?}");
    }
    let n = |k: &str| e.status.get(k).copied().unwrap_or(0).to_string();
    let p = |k: &str| e.provenance.get(k).copied().unwrap_or(0).to_string();
    for (what, number) in [
        ("total", truth.posts.len().to_string()),
        ("accepted", n("accept")),
        ("held", n("hold")),
        ("rejected", n("reject")),
        ("verified", p("verified")),
        ("unverified", p("unverified")),
        ("invalid", p("invalid")),
    ] {
        assert!(has(&number), "OCR does not show the {what} count {number}");
    }
    // Per-rule and per-month sections are on the page too.
    assert!(
        text.contains("Per rule") && text.contains("Per month"),
        "sections missing"
    );
    let (_, rejected_by_keyword) = e.rules.get("keyword").copied().unwrap_or_default();
    assert!(text.contains("keyword") && has(&rejected_by_keyword.to_string()));
    let _ = std::fs::remove_dir_all(&dir);
}
