//! Fonts. egui's own fonts have no CJK glyphs and no serif, so Folio
//! bundles Droid Sans Fallback (Apache-2.0) and Liberation Serif (SIL OFL
//! 1.1), both in `assets/fonts/` with their licences.
//!
//! Every family falls back, in order, to egui's icons, its two monochrome
//! emoji fonts (the `monochrome_emoji_fonts` feature: 💥 and the View menu's
//! theme icons are glyphs, not boxes) and last to Droid Sans Fallback, so
//! Chinese renders on any machine, with or without system fonts. The reader's
//! serif is [`serif`]: Liberation Serif, then a Chinese serif (Song/Ming)
//! found among the system's fonts at start-up ([`find_cjk_serif`]: Noto Serif
//! CJK, Source Han Serif, AR PL UMing / New Sung), then the same fallbacks.
//! A collection with a Traditional face (Noto Serif CJK's TC) also gives
//! [`serif_for`]'s Traditional family, for articles in zh-Hant/TW/HK/MO.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};
use skrifa::MetadataProvider;
use skrifa::raw::{FileRef, FontRef, TableProvider};

/// The bundled CJK font.
static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf");
/// The bundled serif.
static SERIF_FONT: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf");

const CJK: &str = "droid-sans-fallback";
const SERIF: &str = "liberation-serif";

const CJK_SERIF: &str = "cjk-serif";
const CJK_SERIF_TC: &str = "cjk-serif-tc";

/// A font file larger than this is not read (the largest CJK collections,
/// Noto Serif CJK's, are under 30 MB).
const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;
/// At most this many directory entries are looked at under the font folders.
const MAX_ENTRIES: usize = 50_000;
/// Folders below a font folder looked into.
const MAX_DEPTH: usize = 6;

/// The reader's serif family.
#[must_use]
pub fn serif() -> FontFamily {
    FontFamily::Name("serif".into())
}

/// The reader's serif family for an article in `lang`: the Traditional
/// faces for zh-Hant, zh-TW, zh-HK and zh-MO (the same as [`serif`] when
/// the system's Chinese serif has no Traditional face).
#[must_use]
pub fn serif_for(lang: Option<&str>) -> FontFamily {
    if lang.is_some_and(is_traditional) {
        FontFamily::Name("serif-tc".into())
    } else {
        serif()
    }
}

/// `lang` asks for Traditional Chinese glyph forms.
pub fn is_traditional(lang: &str) -> bool {
    let lang = lang.to_ascii_lowercase().replace('_', "-");
    lang.starts_with("zh-")
        && ["hant", "tw", "hk", "mo"]
            .iter()
            .any(|t| lang.split('-').any(|part| part == *t))
}

/// A Chinese serif found among the system's fonts.
#[derive(Clone)]
pub struct CjkSerif {
    /// Its family name, as the menu shows it (`Noto Serif CJK SC`).
    pub name: String,
    /// The file it was read from.
    pub path: PathBuf,
    /// The file's bytes.
    data: Arc<Vec<u8>>,
    /// The face for Simplified Chinese (or the only one).
    simplified: u32,
    /// The face for Traditional Chinese (`simplified` when there is none).
    traditional: u32,
}

impl std::fmt::Debug for CjkSerif {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CjkSerif")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("simplified", &self.simplified)
            .field("traditional", &self.traditional)
            .finish_non_exhaustive()
    }
}

/// The folders fonts are installed in (fontconfig's usual ones).
#[must_use]
pub fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![
        PathBuf::from("/usr/share/fonts"),
        PathBuf::from("/usr/local/share/fonts"),
    ];
    if let Some(data) = dirs::data_dir() {
        dirs.push(data.join("fonts"));
    }
    if let Some(home) = dirs::home_dir() {
        dirs.push(home.join(".fonts"));
    }
    if cfg!(target_os = "macos") {
        dirs.push(PathBuf::from("/Library/Fonts"));
        dirs.push(PathBuf::from("/System/Library/Fonts"));
    }
    if cfg!(windows)
        && let Some(windir) = std::env::var_os("WINDIR")
    {
        dirs.push(PathBuf::from(windir).join("Fonts"));
    }
    dirs
}

/// How well a font file's name promises a Chinese serif at the regular
/// weight: lower is better, `None` is not one.
fn candidate_rank(path: &Path) -> Option<u8> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if !matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") {
        return None;
    }
    let stem = path
        .file_stem()?
        .to_str()?
        .to_ascii_lowercase()
        .replace(['-', '_', ' '], "");
    let family = if [
        "notoserifcjk",
        "sourcehanserif",
        "notoserifsc",
        "notoseriftc",
    ]
    .iter()
    .any(|n| stem.contains(n))
    {
        0
    } else if [
        "uming", "newsung", "gbsn00lp", "bsmi00lp", "simsun", "mingliu", "songti",
    ]
    .iter()
    .any(|n| stem.contains(n))
    {
        1
    } else {
        return None;
    };
    let heavy_or_light = [
        "bold",
        "black",
        "heavy",
        "light",
        "medium",
        "semibold",
        "thin",
        "extralight",
    ]
    .iter()
    .any(|w| stem.contains(w));
    Some(family * 2 + u8::from(heavy_or_light))
}

/// The Chinese serif among the fonts under `dirs`, or `None`. The walk is
/// bounded ([`MAX_ENTRIES`] entries, [`MAX_DEPTH`] deep, links not
/// followed); a file over [`MAX_FONT_BYTES`], unreadable, not a font, or
/// without Chinese characters is passed over (and logged).
#[must_use]
pub fn find_cjk_serif(dirs: &[PathBuf]) -> Option<CjkSerif> {
    let mut candidates = Vec::new();
    let mut seen = 0;
    'dirs: for dir in dirs {
        for entry in walkdir::WalkDir::new(dir)
            .max_depth(MAX_DEPTH)
            .into_iter()
            .flatten()
        {
            seen += 1;
            if seen > MAX_ENTRIES {
                log::warn!("fonts: stopped looking after {MAX_ENTRIES} entries");
                break 'dirs;
            }
            if entry.file_type().is_file()
                && let Some(rank) = candidate_rank(entry.path())
            {
                candidates.push((rank, entry.into_path()));
            }
        }
    }
    candidates.sort();
    candidates
        .into_iter()
        .find_map(|(_, path)| match read_cjk_serif(&path) {
            Ok(found) => Some(found),
            Err(why) => {
                log::info!("fonts: {} passed over: {why}", path.display());
                None
            }
        })
}

/// Read `path` as a Chinese serif: its faces, the Simplified and the
/// Traditional one, each with the common characters.
fn read_cjk_serif(path: &Path) -> Result<CjkSerif, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    if len > MAX_FONT_BYTES {
        return Err(format!("{len} bytes, over the {MAX_FONT_BYTES}-byte limit"));
    }
    let mut data = Vec::new();
    file.take(MAX_FONT_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(|e| e.to_string())?;
    if data.len() as u64 > MAX_FONT_BYTES {
        return Err("grew over the size limit while read".to_owned());
    }
    let faces: Vec<FontRef<'_>> =
        match FileRef::new(&data).map_err(|e| format!("not a font: {e}"))? {
            FileRef::Font(font) => vec![font],
            FileRef::Collection(collection) => {
                collection.iter().filter_map(Result::ok).take(64).collect()
            }
        };
    let mut simplified = None;
    let mut traditional = None;
    let mut any = None;
    for (index, face) in faces.iter().enumerate() {
        let Ok(index) = u32::try_from(index) else {
            break;
        };
        let charmap = face.charmap();
        // 中 and 說 (a Traditional form): a CJK font, whatever its region.
        if charmap.map('中').is_none() || charmap.map('說').is_none() || face.head().is_err() {
            continue;
        }
        let name = face
            .localized_strings(skrifa::string::StringId::FAMILY_NAME)
            .english_or_first()
            .map(|s| s.to_string())
            .unwrap_or_default();
        let upper = name.to_ascii_uppercase();
        let ends = |tag: &str| upper.split_whitespace().last() == Some(tag);
        if simplified.is_none() && (ends("SC") || ends("CN") || upper.contains("GB")) {
            simplified = Some((index, name.clone()));
        }
        if traditional.is_none() && (ends("TC") || ends("TW") || ends("HK")) {
            traditional = Some(index);
        }
        any.get_or_insert((index, name));
    }
    let (simplified, name) = simplified
        .or(any)
        .ok_or("no face with Chinese characters")?;
    Ok(CjkSerif {
        name,
        path: path.to_owned(),
        traditional: traditional.unwrap_or(simplified),
        simplified,
        data: Arc::new(data),
    })
}

/// egui's fonts plus the CJK fallback and the serif family (without a
/// system Chinese serif), as the tests measure with.
#[cfg(test)]
#[must_use]
pub fn definitions() -> FontDefinitions {
    definitions_with(None)
}

/// [`definitions`] with `cjk_serif`, when found, after Liberation Serif in
/// the serif families.
#[must_use]
pub fn definitions_with(cjk_serif: Option<&CjkSerif>) -> FontDefinitions {
    let mut defs = FontDefinitions::default();
    defs.font_data
        .insert(CJK.to_owned(), Arc::new(FontData::from_static(CJK_FONT)));
    defs.font_data.insert(
        SERIF.to_owned(),
        Arc::new(FontData::from_static(SERIF_FONT)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        defs.families
            .entry(family)
            .or_default()
            .push(CJK.to_owned());
    }
    let proportional = defs
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    let mut chinese = [None, None];
    if let Some(found) = cjk_serif {
        let blob: egui::epaint::text::Blob = found.data.clone();
        for (name, index) in [
            (CJK_SERIF, found.simplified),
            (CJK_SERIF_TC, found.traditional),
        ] {
            defs.font_data.insert(
                name.to_owned(),
                Arc::new(FontData::from_blob(Arc::clone(&blob), index)),
            );
        }
        chinese = [Some(CJK_SERIF), Some(CJK_SERIF_TC)];
    }
    for (family, chinese) in [
        (serif(), chinese[0]),
        (FontFamily::Name("serif-tc".into()), chinese[1]),
    ] {
        let mut fonts = vec![SERIF.to_owned()];
        fonts.extend(chinese.map(str::to_owned));
        fonts.extend(proportional.iter().cloned());
        defs.families.insert(family, fonts);
    }
    defs
}

/// Find the system's Chinese serif and install the fonts in `ctx`; the
/// serif found, if any (the View menu says when there is none).
pub fn install(ctx: &egui::Context) -> Option<CjkSerif> {
    let found = find_cjk_serif(&font_dirs());
    ctx.set_fonts(definitions_with(found.as_ref()));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fake_font_file_is_passed_over_and_nothing_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("opentype/noto");
        std::fs::create_dir_all(&nested).unwrap();
        // Named as a Chinese serif, but not a font; and a real font (the
        // bundled Liberation Serif) under a Chinese serif's name, without
        // Chinese characters.
        std::fs::write(
            nested.join("NotoSerifCJK-Regular.ttc"),
            b"not a font at all",
        )
        .unwrap();
        std::fs::write(nested.join("uming.ttc"), SERIF_FONT).unwrap();
        std::fs::write(nested.join("empty.otf"), b"").unwrap();
        assert!(
            read_cjk_serif(&nested.join("NotoSerifCJK-Regular.ttc"))
                .unwrap_err()
                .contains("not a font")
        );
        assert!(
            read_cjk_serif(&nested.join("uming.ttc"))
                .unwrap_err()
                .contains("no face with Chinese")
        );
        assert!(find_cjk_serif(&[dir.path().to_owned()]).is_none());
        // Missing folders are no error either.
        assert!(find_cjk_serif(&[dir.path().join("absent")]).is_none());
    }

    #[test]
    fn a_cjk_font_under_a_serif_name_is_found_with_its_face() {
        let dir = tempfile::tempdir().unwrap();
        // Droid Sans Fallback stands in for a Song face: the discovery goes
        // by name and character map, the face's style is the file's word.
        std::fs::write(dir.path().join("NotoSerifSC-Regular.otf"), CJK_FONT).unwrap();
        std::fs::write(dir.path().join("NotoSerifSC-Bold.otf"), b"bold, and broken").unwrap();
        std::fs::write(dir.path().join("DejaVuSans.ttf"), b"not looked at").unwrap();
        let found = find_cjk_serif(&[dir.path().to_owned()]).expect("found");
        assert_eq!(found.path, dir.path().join("NotoSerifSC-Regular.otf"));
        assert_eq!((found.simplified, found.traditional), (0, 0));
        let defs = definitions_with(Some(&found));
        let family = &defs.families[&serif()];
        assert_eq!(&family[..2], [SERIF, CJK_SERIF]);
        assert_eq!(family.last().map(String::as_str), Some(CJK));
    }

    #[test]
    fn an_oversized_file_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("SourceHanSerif-Regular.ttc");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_FONT_BYTES + 1).unwrap();
        assert!(read_cjk_serif(&path).unwrap_err().contains("limit"));
    }

    #[test]
    fn an_installed_noto_serif_cjk_gives_its_sc_and_tc_faces() {
        let Some(found) = find_cjk_serif(&font_dirs()) else {
            eprintln!("SKIPPED: no Chinese serif font installed (install fonts-noto-cjk)");
            return;
        };
        if found.path.extension().is_some_and(|e| e == "ttc")
            && found.name.starts_with("Noto Serif CJK")
        {
            assert_eq!(found.name, "Noto Serif CJK SC");
            assert_ne!(found.traditional, found.simplified, "{found:?}");
            let FileRef::Collection(faces) = FileRef::new(&found.data).unwrap() else {
                panic!("not a collection");
            };
            let tc = faces.get(found.traditional).unwrap();
            let name = tc
                .localized_strings(skrifa::string::StringId::FAMILY_NAME)
                .english_or_first()
                .unwrap()
                .to_string();
            assert_eq!(name, "Noto Serif CJK TC");
        } else {
            eprintln!(
                "SKIPPED: {} is not Noto Serif CJK's collection",
                found.path.display()
            );
        }
    }

    #[test]
    fn traditional_tags_choose_the_traditional_family() {
        for lang in ["zh-TW", "zh-Hant", "zh-hant-HK", "zh_HK", "zh-MO"] {
            assert_eq!(
                serif_for(Some(lang)),
                FontFamily::Name("serif-tc".into()),
                "{lang}"
            );
        }
        for lang in ["zh", "zh-CN", "zh-Hans", "en", "ja"] {
            assert_eq!(serif_for(Some(lang)), serif(), "{lang}");
        }
        assert_eq!(serif_for(None), serif());
    }
}
