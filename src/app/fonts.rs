//! Fonts. egui's own fonts have no CJK glyphs and no serif, so Folio
//! bundles Droid Sans Fallback (Apache-2.0) and Liberation Serif (SIL OFL
//! 1.1), both in `assets/fonts/` with their licences.
//!
//! Every family falls back, in order, to egui's icons, its two monochrome
//! emoji fonts (the `monochrome_emoji_fonts` feature: 💥 and the View menu's
//! theme icons are glyphs, not boxes) and last to Droid Sans Fallback, so
//! Chinese renders on any machine, with or without system fonts. The reader's
//! serif is [`serif`]: Liberation Serif with the same fallbacks.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

/// The bundled CJK font.
static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf");
/// The bundled serif.
static SERIF_FONT: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf");

const CJK: &str = "droid-sans-fallback";
const SERIF: &str = "liberation-serif";

/// The reader's serif family.
#[must_use]
pub fn serif() -> FontFamily {
    FontFamily::Name("serif".into())
}

/// egui's fonts plus the CJK fallback and the serif family.
#[must_use]
pub fn definitions() -> FontDefinitions {
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
    let mut serif_fonts = vec![SERIF.to_owned()];
    serif_fonts.extend(
        defs.families
            .get(&FontFamily::Proportional)
            .cloned()
            .unwrap_or_default(),
    );
    defs.families.insert(serif(), serif_fonts);
    defs
}

/// Install [`definitions`] in `ctx`.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}
