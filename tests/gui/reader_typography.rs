//! The reader's typography (issue 28): Serif sets Chinese in the system's
//! Song/Ming face when one is installed, and the View menu says when none is.

use super::*;

/// The font families of the painted text that contains `needle`.
fn families_painting(harness: &Harness<'_, FolioApp>, needle: &str) -> Vec<egui::FontFamily> {
    fn walk(shape: &egui::Shape, needle: &str, out: &mut Vec<egui::FontFamily>) {
        match shape {
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, needle, out)),
            egui::Shape::Text(text) if text.galley.job.text.contains(needle) => {
                out.extend(
                    text.galley
                        .job
                        .sections
                        .iter()
                        .map(|s| s.format.font_id.family.clone()),
                );
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &harness.output().shapes {
        walk(&clipped.shape, needle, &mut out);
    }
    out
}

/// The painted texts that contain `needle`.
fn painted_texts(harness: &Harness<'_, FolioApp>, needle: &str) -> Vec<String> {
    fn walk(shape: &egui::Shape, needle: &str, out: &mut Vec<String>) {
        match shape {
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, needle, out)),
            egui::Shape::Text(text) if text.galley.job.text.contains(needle) => {
                out.push(text.galley.job.text.clone());
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &harness.output().shapes {
        walk(&clipped.shape, needle, &mut out);
    }
    out
}

#[test]
fn serif_sets_the_chinese_text_in_the_system_song_face() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    open_seed(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "View")
        .click();
    harness.run_steps(2);
    // What the user reads in the menu when no Chinese serif is installed.
    let none = "No Chinese serif font installed: Chinese shows in sans; install fonts-noto-cjk";
    if harness.query_by_label(none).is_some() {
        eprintln!("SKIPPED: no Chinese serif font installed (install fonts-noto-cjk)");
        return;
    }
    assert!(
        harness
            .query_by_label_contains("Chinese in Serif: ")
            .is_some()
    );
    let named = painted_texts(&harness, "Chinese in Serif: ");
    assert!(
        named.iter().all(|t| t.len() > "Chinese in Serif: ".len()) && !named.is_empty(),
        "{named:?}"
    );
    eprintln!("{named:?}");
    harness.get_by_label("Serif").click();
    harness.run_steps(3);
    // The seed's caption is drawn in the serif family ...
    let families = families_painting(&harness, SEED_CAPTION);
    assert!(!families.is_empty(), "the caption is not painted");
    let serif = egui::FontFamily::Name("serif".into());
    assert!(families.iter().all(|f| *f == serif), "{families:?}");
    // ... and in that family a Chinese character comes from the system's
    // Song face, not the bundled sans fallback.
    let first = SEED_CAPTION.chars().find(|c| *c as u32 >= 0x4E00).unwrap();
    let faces = harness
        .ctx
        .fonts_mut(|f| f.characters(&serif).get(&first).cloned())
        .unwrap_or_default();
    assert_eq!(
        faces.first().map(String::as_str),
        Some("cjk-serif"),
        "{faces:?}"
    );
    assert!(faces.iter().any(|f| f == "droid-sans-fallback"));
    // Sans-serif puts it back in the sans fallback.
    let sans = harness
        .ctx
        .fonts_mut(|f| {
            f.characters(&egui::FontFamily::Proportional)
                .get(&first)
                .cloned()
        })
        .unwrap_or_default();
    assert_eq!(
        sans.first().map(String::as_str),
        Some("droid-sans-fallback")
    );
}
