//! Citation keys: `guardian2021climate`, made from the article alone so
//! that they do not change when the library grows.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization as _;

use super::record::Reference;

/// Title words that make no key.
const STOP_WORDS: [&str; 12] = [
    "a", "an", "the", "of", "on", "in", "to", "and", "for", "at", "by", "with",
];

/// `s` folded to lowercase ASCII letters and digits: accents dropped
/// (`Café` → `cafe`), everything else (CJK, punctuation, spaces) left out.
fn ascii_fold(s: &str) -> String {
    s.nfd()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The site part of a key: the site's name folded to ASCII (`The Guardian`
/// → `guardian`), else the host's name (`www.epochtimes.com` →
/// `epochtimes`, `bbc.co.uk` → `bbc`), else `web`.
fn site_part(reference: &Reference) -> String {
    if let Some(site) = &reference.container {
        let site = site.trim();
        let site = site
            .strip_prefix("The ")
            .or_else(|| site.strip_prefix("the "))
            .unwrap_or(site);
        let folded = ascii_fold(site);
        // A name of non-Latin letters folds to little or nothing.
        if folded.len() >= 2
            && folded.len() * 2 >= site.chars().filter(|c| !c.is_whitespace()).count()
        {
            return folded.chars().take(20).collect();
        }
    }
    if let Some(host) = reference.url.as_deref().and_then(host_name) {
        return host;
    }
    "web".to_owned()
}

/// The registrable name of a URL's host: the last label that is not a
/// public suffix's common part (`cn.nytimes.com` → `nytimes`).
fn host_name(url: &str) -> Option<String> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    let mut labels: Vec<&str> = host.split('.').collect();
    labels.pop(); // the top-level domain
    while labels.len() > 1
        && matches!(
            labels.last(),
            Some(&("co" | "com" | "org" | "net" | "gov" | "edu" | "ac" | "ne" | "or"))
        )
    {
        labels.pop();
    }
    let name = ascii_fold(labels.last()?);
    (!name.is_empty()).then(|| name.chars().take(20).collect())
}

/// The key an article's reference takes before collisions are settled: site,
/// year (`nd` when undated) and the first significant Latin word of the
/// title (`guardian2021climate`); a title with no Latin word (Chinese)
/// gives the article id instead (`epochtimes2021id42`).
pub fn base_key(reference: &Reference) -> String {
    let year = reference
        .issued
        .map_or_else(|| "nd".to_owned(), |d| d.year.to_string());
    let word = reference
        .title
        .split(|c: char| c.is_whitespace() || c == '-' || c == '—')
        .map(ascii_fold)
        .find(|w| {
            w.len() >= 2
                && w.chars().any(|c| c.is_ascii_alphabetic())
                && !STOP_WORDS.contains(&w.as_str())
        })
        // Only a word the title's own letters spell: a mostly Chinese title
        // with one Latin brand name still gets the id.
        .filter(|_| {
            let cjk = reference.title.chars().filter(|c| !c.is_ascii()).count();
            cjk * 2 < reference.title.chars().count()
        });
    let tail = word.map_or_else(
        || format!("id{}", reference.article_id),
        |w| w.chars().take(20).collect(),
    );
    format!("{}{year}{tail}", site_part(reference))
}

/// Make the keys of `references` unique within them: where several share a
/// key, the one with the lowest article id keeps it and the others take
/// `b`, `c`, … in article-id order (past `z`, `-` and the article id), so
/// adding newer articles never changes an older one's key.
pub fn assign_keys(references: &mut [Reference]) {
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, reference) in references.iter_mut().enumerate() {
        reference.key = base_key(reference);
        by_key.entry(reference.key.clone()).or_default().push(i);
    }
    for indexes in by_key.into_values() {
        if indexes.len() < 2 {
            continue;
        }
        let mut ids: Vec<(i64, usize)> = indexes
            .iter()
            .map(|&i| (references[i].article_id, i))
            .collect();
        ids.sort_unstable();
        ids.dedup_by_key(|(id, _)| *id);
        for (n, (id, i)) in ids.into_iter().enumerate().skip(1) {
            let suffix = u8::try_from(n)
                .ok()
                .filter(|n| *n < 26)
                .map_or_else(|| format!("-{id}"), |n| char::from(b'a' + n).to_string());
            references[i].key.push_str(&suffix);
        }
    }
}
