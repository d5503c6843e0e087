//! The human report: one self-contained HTML page (no scripts, no external resources; every
//! value from the archive escaped) with counts per status, provenance, rule and month, and the
//! held and rejected items with their reasons.

use std::fmt::Write as _;

use super::policy::Action;
use super::report::{ScreeningReport, StatusCounts};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#000;\
background:#fff;font-size:18px}h1{font-size:30px}h2{font-size:24px;margin-top:28px}\
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #444;padding:6px 14px;\
text-align:left}th{background:#e8e8e8}td.n{text-align:right;font-variant-numeric:tabular-nums}\
.cards{display:flex;gap:16px}.card{border:2px solid #000;padding:10px 22px;min-width:150px}\
.card .v{font-size:40px;font-weight:bold}.hold{background:#fff4c2}.reject{background:#ffd6d6}\
.accept{background:#d9f7d9}code{font-size:15px;word-break:break-all}";

/// Renders the report as a self-contained HTML page.
pub fn render(report: &ScreeningReport) -> String {
    let mut h = String::new();
    let t = &report.totals;
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<title>Import screening report</title><style>{STYLE}</style></head><body>\
<h1>Import screening report</h1><p>Source: {} &middot; actor: <code>{}</code> &middot; screened at {}</p>",
        escape(report.format),
        escape(report.actor.as_deref().unwrap_or("(unknown)")),
        report.now
    );
    let _ = write!(
        h,
        "<div class=\"cards\">\
<div class=\"card\"><div>Total</div><div class=\"v\">{}</div></div>\
<div class=\"card accept\"><div>Accepted</div><div class=\"v\">{}</div></div>\
<div class=\"card hold\"><div>Held</div><div class=\"v\">{}</div></div>\
<div class=\"card reject\"><div>Rejected</div><div class=\"v\">{}</div></div></div>",
        t.total, t.accept, t.hold, t.reject
    );
    let p = &report.provenance;
    let _ = write!(
        h,
        "<h2>Provenance</h2><table><tr><th>status</th><th>items</th></tr>\
<tr><td>verified</td><td class=\"n\">{}</td></tr>\
<tr><td>unverified</td><td class=\"n\">{}</td></tr>\
<tr><td>invalid</td><td class=\"n\">{}</td></tr></table>",
        p.verified, p.unverified, p.invalid
    );
    h.push_str("<h2>Per rule</h2>");
    if report.rules.is_empty() {
        h.push_str("<p>No rule held or rejected anything.</p>");
    } else {
        h.push_str("<table><tr><th>rule</th><th>held</th><th>rejected</th></tr>");
        for (rule, c) in &report.rules {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(rule),
                c.hold,
                c.reject
            );
        }
        h.push_str("</table>");
    }
    if !report.keywords.is_empty() {
        h.push_str("<h2>Keyword rules</h2><table><tr><th>rule</th><th>items</th></tr>");
        for (name, n) in &report.keywords {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{n}</td></tr>",
                escape(name)
            );
        }
        h.push_str("</table>");
    }
    h.push_str(
        "<h2>Per month</h2><table><tr><th>month</th><th>accepted</th><th>held</th>\
<th>rejected</th></tr>",
    );
    for (month, c) in &report.months {
        month_row(&mut h, month, c);
    }
    h.push_str("</table>");
    let m = &report.media;
    let _ = write!(
        h,
        "<h2>Media and links</h2><table><tr><th>what</th><th>count</th></tr>\
<tr><td>posts with media</td><td class=\"n\">{}</td></tr>\
<tr><td>attachments</td><td class=\"n\">{}</td></tr>\
<tr><td>media files in the archive</td><td class=\"n\">{}</td></tr>",
        m.posts_with_media, m.attachments, m.files_in_archive
    );
    for (label, links) in [("likes", &report.likes), ("bookmarks", &report.bookmarks)] {
        if let Some(l) = links {
            let _ = write!(
                h,
                "<tr><td>{label}</td><td class=\"n\">{}</td></tr>\
<tr><td>{label} on blocked domains</td><td class=\"n\">{}</td></tr>",
                l.total, l.blocked_domain
            );
        }
    }
    h.push_str("</table>");
    for (title, status) in [
        ("Held items", Action::Hold),
        ("Rejected items", Action::Reject),
    ] {
        let _ = write!(h, "<h2>{title}</h2>");
        let mut any = false;
        for item in report.items.iter().filter(|i| i.status == status) {
            if !any {
                h.push_str(
                    "<table><tr><th>#</th><th>item</th><th>provenance</th><th>reasons</th></tr>",
                );
                any = true;
            }
            let reasons: Vec<String> = item
                .reasons
                .iter()
                .map(|r| {
                    format!(
                        "<b>{}</b> ({}): {}",
                        escape(r.rule),
                        r.action.as_str(),
                        escape(&r.detail)
                    )
                })
                .collect();
            let _ = write!(
                h,
                "<tr class=\"{}\"><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                status.as_str(),
                item.index,
                escape(item.id.as_deref().unwrap_or("(no id)")),
                item.provenance.as_str(),
                reasons.join("<br>")
            );
        }
        if any {
            h.push_str("</table>");
        } else {
            h.push_str("<p>None listed.</p>");
        }
    }
    if report.items_not_listed > 0 {
        let _ = write!(
            h,
            "<p>{} more held or rejected items are not listed (see the JSON report's counts).</p>",
            report.items_not_listed
        );
    }
    h.push_str("</body></html>\n");
    h
}

fn month_row(h: &mut String, month: &str, c: &StatusCounts) {
    let _ = write!(
        h,
        "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
        escape(month),
        c.accept,
        c.hold,
        c.reject
    );
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>alert('x')</script>&\"\u{0007}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\u{FFFD}"
        );
    }
}
