//! Fonts: egui's own fonts have no CJK glyphs, so Folio bundles Droid Sans
//! Fallback (Apache-2.0, `assets/fonts/`) as the fallback of every family.
//! Chinese therefore renders on any machine, with or without system fonts.

use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{FontData, FontFamily};

/// The bundled CJK font.
static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf");

/// Add the CJK fallback font to `ctx`'s proportional and monospace families.
pub fn install(ctx: &egui::Context) {
    ctx.add_font(FontInsert {
        name: "droid-sans-fallback".to_owned(),
        data: FontData::from_static(CJK_FONT),
        families: vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    });
}
