//! RIS records: `TAG  - value` lines, `ER  - ` closing each record.

use std::fmt::Write as _;

use super::record::{Date, Kind, Reference};

/// `YYYY/MM/DD/` with the parts known (`2021///` for a year alone): RIS's
/// date form.
fn ris_date(date: Date) -> String {
    let two = |n: Option<u8>| n.map(|n| format!("{n:02}")).unwrap_or_default();
    format!("{:04}/{}/{}/", date.year, two(date.month), two(date.day))
}

/// One reference as a RIS record.
fn record(out: &mut String, reference: &Reference) {
    let mut line = |tag: &str, value: &str| {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{tag}  - {value}");
    };
    line(
        "TY",
        match reference.kind {
            Kind::Newspaper => "NEWS",
            Kind::Web => "ELEC",
        },
    );
    line("ID", &reference.key);
    line("TI", &reference.title);
    for author in &reference.authors {
        line("AU", &author.inverted());
    }
    if let Some(container) = &reference.container {
        line("T2", container);
    }
    if let Some(issued) = reference.issued {
        line("PY", &issued.year.to_string());
        line("DA", &ris_date(issued));
    }
    if let Some(url) = &reference.url {
        line("UR", url);
    }
    if let Some(accessed) = reference.accessed {
        line("Y2", &ris_date(accessed));
    }
    if let Some(language) = &reference.language {
        line("LA", language);
    }
    if let Some(note) = &reference.note {
        line("N1", note);
    }
    line("ER", "");
}

/// `references` as RIS records, a blank line after each.
pub fn ris(references: &[Reference]) -> String {
    let mut out = String::new();
    for reference in references {
        record(&mut out, reference);
        out.push('\n');
    }
    out
}
