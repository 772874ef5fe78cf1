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

/// eframe's storage in memory, as the window keeps it in a file.
#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// The app on `path` started with `storage` as eframe hands it over.
fn app_stored(path: &Path, storage: &'static MemoryStorage) -> Harness<'static, FolioApp> {
    let path = path.to_owned();
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            cc.storage = Some(storage);
            FolioApp::new(
                cc,
                Options {
                    library: path,
                    sample: false,
                    offline: false,
                },
            )
            .unwrap()
        })
}

/// The seed's first paragraph's size on screen.
fn seed_paragraph(harness: &Harness<'_, FolioApp>) -> egui::Vec2 {
    harness
        .get_by_label_contains("【大纪元2022年09月22日讯】")
        .rect()
        .size()
}

/// Open the View menu and click `item`.
fn view_menu(harness: &mut Harness<'_, FolioApp>, item: &str) {
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "View")
        .click();
    harness.run_steps(2);
    match harness.query_by_label(item) {
        Some(node) => node.click(),
        // A button with its shortcut beside it.
        None => harness.get_by_label_contains(item).click(),
    }
    harness.run_steps(3);
}

#[test]
fn text_size_typeface_and_column_width_are_kept_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let empty: &'static MemoryStorage = Box::leak(Box::default());
    let mut harness = app_stored(&path, empty);
    open_seed(&mut harness);
    // Room for the wide column: the inspector hidden (also kept).
    harness.key_press(egui::Key::F9);
    harness.run_steps(3);
    let default = seed_paragraph(&harness);
    view_menu(&mut harness, "Wide column");
    let wide = seed_paragraph(&harness);
    // 35 ems at 17 points, then 1.2 times that (a paragraph is as wide as
    // its longest line, a little under the measure).
    assert!(
        default.x <= 35.0 * 17.0 + 0.5 && default.x > 35.0 * 17.0 - 30.0,
        "{default:?}"
    );
    assert!(
        wide.x <= 1.2 * 35.0 * 17.0 + 0.5 && wide.x > 1.2 * 35.0 * 17.0 - 30.0,
        "{wide:?}"
    );
    view_menu(&mut harness, "Larger text");
    view_menu(&mut harness, "Serif");
    let chosen = seed_paragraph(&harness);
    assert!(
        chosen.x > wide.x,
        "larger text widens the column: {chosen:?} {wide:?}"
    );
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    drop(harness);

    let storage: &'static MemoryStorage = Box::leak(Box::new(storage));
    let mut harness = app_stored(&path, storage);
    // The seed open when the window closed opens again.
    wait_for(&mut harness, "the seed reopened", |h| {
        h.query_by_label(SEED_CAPTION).is_some()
    });
    harness.run_steps(3);
    let kept = seed_paragraph(&harness);
    assert!((kept - chosen).length() < 0.5, "{kept:?} != {chosen:?}");
    // The caption is drawn in the serif family again.
    let families = families_painting(&harness, SEED_CAPTION);
    assert!(
        !families.is_empty()
            && families
                .iter()
                .all(|f| *f == egui::FontFamily::Name("serif".into())),
        "{families:?}"
    );
    // Back to Medium, and a fresh start with nothing stored is Medium too.
    view_menu(&mut harness, "Medium column");
    let medium = seed_paragraph(&harness);
    assert!(medium.x < kept.x, "{medium:?} {kept:?}");
    drop(harness);
    let mut harness = app_stored(&path, empty);
    open_seed(&mut harness);
    harness.key_press(egui::Key::F9);
    harness.run_steps(3);
    assert!((seed_paragraph(&harness) - default).length() < 0.5);
}

/// View ▸ Compact / Normal / Relaxed lines set the reader's line height
/// (1.4, 1.6, 1.9 times the text size), and the choice is kept across a
/// restart.
#[test]
fn line_spacing_is_a_setting_kept_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let empty: &'static MemoryStorage = Box::leak(Box::default());
    let mut harness = app_stored(&path, empty);
    open_seed(&mut harness);
    let normal = seed_paragraph(&harness);
    // The paragraph's lines, at 1.6 × 17 points each.
    let lines = (normal.y / (1.6 * 17.0)).round();
    assert!(
        lines >= 2.0 && (normal.y - lines * 1.6 * 17.0).abs() < 2.0,
        "{normal:?}"
    );
    view_menu(&mut harness, "Relaxed lines");
    let relaxed = seed_paragraph(&harness);
    assert!(
        (relaxed.y - lines * 1.9 * 17.0).abs() < 2.0 && (relaxed.x - normal.x).abs() < 0.5,
        "{relaxed:?} for {lines} lines"
    );
    view_menu(&mut harness, "Compact lines");
    let compact = seed_paragraph(&harness);
    assert!(
        (compact.y - lines * 1.4 * 17.0).abs() < 2.0,
        "{compact:?} for {lines} lines"
    );
    view_menu(&mut harness, "Relaxed lines");
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    drop(harness);
    let storage: &'static MemoryStorage = Box::leak(Box::new(storage));
    let mut harness = app_stored(&path, storage);
    wait_for(&mut harness, "the seed reopened", |h| {
        h.query_by_label(SEED_CAPTION).is_some()
    });
    harness.run_steps(3);
    assert!((seed_paragraph(&harness) - relaxed).length() < 0.5);
}
