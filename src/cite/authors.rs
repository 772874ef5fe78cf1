//! Authors from a byline: split where the byline separates them, each kept
//! whole unless it plainly reads as a Latin personal name.

use super::record::Name;

/// Words a byline starts with before the names.
const PREFIXES: [&str; 9] = [
    "by ",
    "By ",
    "BY ",
    "文/",
    "文／",
    "作者：",
    "作者:",
    "记者：",
    "記者：",
];

/// Words of a Chinese byline that say what the people are, not who: a
/// token that is only one of these is no author (`记者 王五` is 王五).
const ROLES: [&str; 16] = [
    "记者",
    "記者",
    "本报记者",
    "本報記者",
    "特约记者",
    "特約記者",
    "文",
    "作者",
    "撰文",
    "撰稿",
    "通讯员",
    "通訊員",
    "实习生",
    "實習生",
    "报道",
    "報道",
];

/// The separators between authors that need no context.
fn is_separator(c: char) -> bool {
    matches!(c, '、' | '，' | ',' | ';' | '；' | '/' | '／' | '|' | '｜')
}

/// True for a CJK ideograph, kana or hangul: a character of a name that is
/// written without spaces.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // kana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // hangul syllables
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{20000}'..='\u{3134F}' // extensions B–H
        | '·' | '•')
}

/// The authors a byline names, in its order; none for an empty byline.
///
/// `张三、李四` and `张三 李四` are two literal names; `John Smith and Jane
/// Doe` two persons; `张三和李四` two names, but `王和平` one (a side of one
/// character is no name).
pub fn authors(byline: &str) -> Vec<Name> {
    let mut text = byline
        .trim()
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')'])
        .trim();
    for prefix in PREFIXES {
        if let Some(rest) = text.strip_prefix(prefix) {
            text = rest.trim_start();
        }
    }
    let mut names = Vec::new();
    for part in text.split(is_separator) {
        for part in split_words(part, &[" and ", " And ", " AND ", " & "]) {
            for part in split_he(&part) {
                for name in split_cjk_spaces(&part) {
                    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !name.is_empty() && !ROLES.contains(&name.as_str()) {
                        names.push(classify(&name));
                    }
                }
            }
        }
    }
    names
}

/// `s` split at each of `words`.
fn split_words(s: &str, words: &[&str]) -> Vec<String> {
    let mut parts = vec![s.to_owned()];
    for word in words {
        parts = parts
            .iter()
            .flat_map(|p| p.split(word).map(str::to_owned).collect::<Vec<_>>())
            .collect();
    }
    parts
}

/// `张三和李四` split at `和` when both sides hold at least two characters
/// (so `王和平` stays one name).
fn split_he(s: &str) -> Vec<String> {
    let s = s.trim();
    if let Some((left, right)) = s.split_once('和') {
        let (left, right) = (left.trim(), right.trim());
        if left.chars().count() >= 2 && right.chars().count() >= 2 {
            let mut parts = vec![left.to_owned()];
            parts.extend(split_he(right));
            return parts;
        }
    }
    vec![s.to_owned()]
}

/// A part made only of CJK names and spaces split at the spaces
/// (`张三 李四`); any other part (a Latin name) whole.
fn split_cjk_spaces(s: &str) -> Vec<String> {
    let all_cjk = s.chars().all(|c| is_cjk(c) || c.is_whitespace());
    if all_cjk {
        s.split_whitespace().map(str::to_owned).collect()
    } else {
        vec![s.to_owned()]
    }
}

/// A Latin personal name when it plainly is one (two to four words, each
/// capitalised, none an acronym, no digits), else a literal.
fn classify(name: &str) -> Name {
    let words: Vec<&str> = name.split(' ').collect();
    let personal = !name.chars().any(is_cjk)
        && (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            let mut chars = w.chars();
            let first_upper = chars.next().is_some_and(char::is_uppercase);
            let letters = w
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'));
            let acronym = w.chars().filter(|c| c.is_alphabetic()).count() > 1
                && w.chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase);
            first_upper && letters && !acronym
        });
    match words.split_last() {
        Some((family, given)) if personal => Name::Person {
            family: (*family).to_owned(),
            given: given.join(" "),
        },
        _ => Name::Literal(name.to_owned()),
    }
}
