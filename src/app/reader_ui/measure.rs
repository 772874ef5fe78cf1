//! The reading column's measure: a width in ems (about 70 Latin or 35
//! Chinese characters a line) for the article's script and typeface.

use crate::app::state::ReaderFont;
use crate::model::Block;

/// The Latin measure in ems for the sans-serif: about 70 characters a line.
const MEASURE_LATIN_SANS: f32 = 33.0;
/// The Latin measure in ems for the serif (narrower letters): about 70 too.
const MEASURE_LATIN_SERIF: f32 = 29.0;
/// The CJK measure in ems: 35 full-width characters a line.
const MEASURE_CJK: f32 = 35.0;

/// The article's text is mostly Chinese, Japanese or Korean (by its
/// language, else by its first paragraphs).
pub(super) fn is_cjk(article: &crate::model::Article) -> bool {
    if let Some(lang) = &article.lang {
        let lang = lang.to_ascii_lowercase();
        if ["zh", "ja", "ko"].iter().any(|l| lang.starts_with(l)) {
            return true;
        }
        if lang.starts_with("en") {
            return false;
        }
    }
    let sample: String = article
        .blocks
        .iter()
        .take(8)
        .map(Block::text)
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(2000)
        .collect();
    let cjk = sample
        .chars()
        .filter(|c| matches!(*c as u32, 0x3040..=0x30FF | 0x3400..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF))
        .count();
    cjk * 3 > sample.chars().count()
}

/// The reading column's width for `article` at text size `size` in `font`.
#[cfg(test)]
fn measure(article: &crate::model::Article, size: f32, font: ReaderFont) -> f32 {
    measure_for(is_cjk(article), size, font)
}

/// [`measure`] for text known to be mostly CJK (`cjk`) or not.
pub(super) fn measure_for(cjk: bool, size: f32, font: ReaderFont) -> f32 {
    let ems = match (cjk, font) {
        (true, _) => MEASURE_CJK,
        (false, ReaderFont::Sans) => MEASURE_LATIN_SANS,
        (false, ReaderFont::Serif) => MEASURE_LATIN_SERIF,
    };
    ems * size
}

#[cfg(test)]
mod tests {
    use egui::text::{LayoutJob, TextFormat};
    use egui::{Color32, FontFamily, FontId};

    use super::*;

    /// Characters per full line of `text` laid out at the reader's measure.
    fn chars_per_line(article: &crate::model::Article, text: &str, font: ReaderFont) -> f32 {
        let family = match font {
            ReaderFont::Sans => FontFamily::Proportional,
            ReaderFont::Serif => crate::app::fonts::serif(),
        };
        let ctx = egui::Context::default();
        ctx.set_fonts(crate::app::fonts::definitions());
        let mut per_line = 0.0;
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            for size in [14.0, 17.0, 24.0] {
                let mut job = LayoutJob::single_section(
                    text.to_owned(),
                    TextFormat::simple(FontId::new(size, family.clone()), Color32::WHITE),
                );
                job.wrap.max_width = measure(article, size, font);
                let galley = ui.fonts_mut(|f| f.layout_job(job));
                let rows = &galley.rows[..galley.rows.len() - 1];
                let chars: usize = rows
                    .iter()
                    .map(|r| usize::from(r.char_count_including_newline()))
                    .sum();
                #[expect(clippy::cast_precision_loss, reason = "small counts")]
                let average = chars as f32 / rows.len() as f32;
                per_line = average;
                eprintln!("{family:?} {size}: {average:.1}");
                let (low, high) = if is_cjk(article) {
                    (30.0, 40.0)
                } else {
                    (65.0, 75.0)
                };
                assert!(
                    (low..=high).contains(&average),
                    "{average:.1} characters a line at {size} pt in {family:?}"
                );
            }
        });
        output.textures_delta.clear();
        per_line
    }

    #[test]
    fn the_measure_is_65_to_75_latin_or_30_to_40_chinese_characters() {
        let latin = "Whale whisperer Hori Parata was just seven years old when he attended his first mass stranding, a beaching of porpoises in New Zealand's Northland, their cries screeching through the air on the deserted stretch of sand. Seven decades later, Parata, 75, has now overseen more than 500 strandings and is renowned in New Zealand as the leading Maori whale expert, called on by tribes around the country for cultural guidance as marine strandings become increasingly complex and fatal.";
        let english = crate::model::Article {
            lang: Some("en".to_owned()),
            ..Default::default()
        };
        chars_per_line(&english, latin, ReaderFont::Sans);
        chars_per_line(&english, latin, ReaderFont::Serif);
        let chinese_text = "近日，小米11系列手机屡次被曝出质量问题，不少用户反映手机出现发热、信号差、主板损坏等问题，而小米公司推出的售后新政也引发了用户的不满。有用户表示，手机在保修期内出现问题，售后却以各种理由拒绝免费维修，要求用户支付高额的维修费用。";
        let chinese = crate::model::Article {
            lang: Some("zh-CN".to_owned()),
            ..Default::default()
        };
        chars_per_line(&chinese, chinese_text, ReaderFont::Sans);
        chars_per_line(&chinese, chinese_text, ReaderFont::Serif);
    }
}
