//! The reader's colours for each theme ([`Palette`], whose contrast
//! against the panel is tested) and the highlight colours' names.

use egui::Color32;

use crate::library::Colour;

/// The reader's colours for one theme.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    /// Body text.
    pub text: Color32,
    /// Headings and bold text.
    pub strong: Color32,
    /// Metadata and captions.
    pub weak: Color32,
    /// Links.
    pub link: Color32,
    /// Search hits: background and text.
    pub hit_bg: Color32,
    /// Text on a search hit.
    pub hit_text: Color32,
    /// The selection's background.
    pub selection_bg: Color32,
    /// Selected text.
    pub selection_text: Color32,
    /// The find bar's matches: background (a cyan no highlight colour or
    /// search mark uses).
    pub find_bg: Color32,
    /// The current match (find bar, or the search's match stepped to).
    pub find_current_bg: Color32,
    /// Text on a find match.
    pub find_text: Color32,
    /// Highlight backgrounds, in [`Colour::ALL`]'s order.
    pub marks: [Color32; 6],
    /// Text an earlier version had and a later one lost (compare window),
    /// struck through as well.
    pub deleted_bg: Color32,
    /// Text a later version added (compare window), underlined as well.
    pub inserted_bg: Color32,
}

impl Palette {
    /// The background of a highlight in `colour`.
    #[must_use]
    pub fn mark(&self, colour: Colour) -> Color32 {
        let i = Colour::ALL.iter().position(|c| *c == colour).unwrap_or(0);
        self.marks[i]
    }

    /// The colours for the dark or the light theme.
    #[must_use]
    pub fn new(dark: bool) -> Self {
        if dark {
            Self {
                text: Color32::from_gray(222),
                strong: Color32::from_gray(240),
                weak: Color32::from_gray(160),
                link: Color32::from_rgb(120, 185, 255),
                hit_bg: Color32::from_rgb(110, 85, 0),
                hit_text: Color32::from_gray(240),
                selection_bg: Color32::from_rgb(38, 79, 138),
                selection_text: Color32::WHITE,
                find_bg: Color32::from_rgb(0, 105, 105),
                find_current_bg: Color32::from_rgb(200, 60, 0),
                find_text: Color32::WHITE,
                marks: [
                    Color32::from_rgb(95, 78, 0),
                    Color32::from_rgb(28, 86, 44),
                    Color32::from_rgb(30, 66, 122),
                    Color32::from_rgb(116, 36, 78),
                    Color32::from_rgb(84, 50, 128),
                    Color32::from_rgb(118, 56, 8),
                ],
                deleted_bg: Color32::from_rgb(112, 34, 34),
                inserted_bg: Color32::from_rgb(26, 84, 40),
            }
        } else {
            Self {
                text: Color32::from_gray(28),
                strong: Color32::BLACK,
                weak: Color32::from_gray(95),
                link: Color32::from_rgb(0, 85, 180),
                hit_bg: Color32::from_rgb(255, 214, 90),
                hit_text: Color32::from_gray(28),
                selection_bg: Color32::from_rgb(170, 205, 255),
                selection_text: Color32::from_gray(28),
                find_bg: Color32::from_rgb(120, 232, 232),
                find_current_bg: Color32::from_rgb(255, 150, 40),
                find_text: Color32::BLACK,
                marks: [
                    Color32::from_rgb(255, 226, 110),
                    Color32::from_rgb(178, 234, 166),
                    Color32::from_rgb(178, 210, 255),
                    Color32::from_rgb(255, 190, 214),
                    Color32::from_rgb(220, 198, 255),
                    Color32::from_rgb(255, 204, 148),
                ],
                deleted_bg: Color32::from_rgb(255, 205, 205),
                inserted_bg: Color32::from_rgb(196, 240, 196),
            }
        }
    }
}

#[must_use]
pub fn colour_name(colour: Colour) -> &'static str {
    match colour {
        Colour::Yellow => "Yellow",
        Colour::Green => "Green",
        Colour::Blue => "Blue",
        Colour::Pink => "Pink",
        Colour::Purple => "Purple",
        Colour::Orange => "Orange",
    }
}

/// Parse `#rrggbb`.
pub fn parse_colour(hex: &str) -> Option<egui::Color32> {
    let hex = hex.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some(egui::Color32::from_rgb(
        (v >> 16) as u8,
        (v >> 8) as u8,
        v as u8,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 contrast ratio of two opaque colours.
    fn contrast(a: Color32, b: Color32) -> f32 {
        let luminance = |c: Color32| {
            let lin = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn reader_colours_meet_wcag_contrast_in_both_themes() {
        for dark in [true, false] {
            let visuals = if dark {
                egui::Visuals::dark()
            } else {
                egui::Visuals::light()
            };
            let bg = visuals.panel_fill;
            let p = Palette::new(dark);
            let checks = [
                ("body text", contrast(p.text, bg), 7.0),
                ("headings", contrast(p.strong, bg), 7.0),
                ("code", contrast(p.text, visuals.code_bg_color), 7.0),
                ("links", contrast(p.link, bg), 4.5),
                ("search hits", contrast(p.hit_text, p.hit_bg), 4.5),
                ("selection", contrast(p.selection_text, p.selection_bg), 4.5),
                ("metadata and captions", contrast(p.weak, bg), 4.5),
                ("deleted text", contrast(p.text, p.deleted_bg), 4.5),
                ("inserted text", contrast(p.text, p.inserted_bg), 4.5),
                ("find matches", contrast(p.find_text, p.find_bg), 4.5),
                (
                    "the current match",
                    contrast(p.find_text, p.find_current_bg),
                    4.5,
                ),
            ];
            let marks = Colour::ALL.iter().flat_map(|&c| {
                [
                    (c, "body text", contrast(p.text, p.mark(c)), 4.5),
                    (c, "headings", contrast(p.strong, p.mark(c)), 4.5),
                    (c, "links", contrast(p.link, p.mark(c)), 3.0),
                ]
            });
            for (colour, what, ratio, least) in marks {
                assert!(
                    ratio >= least,
                    "{what} on a {colour} highlight in the {} theme: {ratio:.2}:1, wants {least}:1",
                    if dark { "dark" } else { "light" }
                );
            }
            for (what, ratio, least) in checks {
                assert!(
                    ratio >= least,
                    "{what} in the {} theme: {ratio:.2}:1, wants {least}:1",
                    if dark { "dark" } else { "light" }
                );
            }
        }
    }

    /// Find marks are told apart from every highlight colour and from the
    /// search's marks (a distance in RGB, besides their own text colour).
    #[test]
    fn find_marks_differ_from_highlights_and_search_marks() {
        let distance = |a: Color32, b: Color32| {
            let d = |x: u8, y: u8| (f32::from(x) - f32::from(y)).powi(2);
            (d(a.r(), b.r()) + d(a.g(), b.g()) + d(a.b(), b.b())).sqrt()
        };
        for dark in [true, false] {
            let p = Palette::new(dark);
            let others = p.marks.iter().copied().chain([p.hit_bg, p.selection_bg]);
            for other in others {
                for (what, find) in [("find", p.find_bg), ("current", p.find_current_bg)] {
                    let d = distance(find, other);
                    assert!(
                        d >= 50.0,
                        "{what} mark {find:?} is {d:.0} from {other:?} (dark: {dark})"
                    );
                }
            }
            assert!(distance(p.find_bg, p.find_current_bg) >= 100.0);
        }
    }

    /// The figures the closing note of issue 28 lists: run with
    /// `--nocapture` to print every ratio.
    #[test]
    fn contrast_figures() {
        for dark in [false, true] {
            let bg = if dark {
                egui::Visuals::dark()
            } else {
                egui::Visuals::light()
            }
            .panel_fill;
            let p = Palette::new(dark);
            let theme = if dark { "dark" } else { "light" };
            println!(
                "{theme}: text {:.2}, links {:.2}, captions {:.2}, search marks {:.2}, find {:.2}, current {:.2}",
                contrast(p.text, bg),
                contrast(p.link, bg),
                contrast(p.weak, bg),
                contrast(p.hit_text, p.hit_bg),
                contrast(p.find_text, p.find_bg),
                contrast(p.find_text, p.find_current_bg)
            );
            for c in Colour::ALL {
                let ratio = contrast(p.text, p.mark(c));
                println!("{theme}: text on {} {ratio:.2}", colour_name(c));
                assert!(ratio >= 4.5);
            }
            for (fg, bg) in [
                (p.find_text, p.find_bg),
                (p.find_text, p.find_current_bg),
                (p.hit_text, p.hit_bg),
            ] {
                assert!(contrast(fg, bg) >= 4.5);
            }
        }
    }
}
