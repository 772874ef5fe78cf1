//! Chinese line breaking in the reader (issue 28, kinsoku): where egui
//! would end a line with an opening mark the reader moves the mark to the
//! next line, and the text a user selects, copies, highlights and finds
//! across that moved break is the article's own (no added line break).

use super::*;

/// Han characters the paragraph is made of.
const HAN: &str = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈";

/// A long paragraph of quoted words at many places in its lines, so that
/// at the reader's measure egui alone ends some line with 「.
fn paragraph() -> String {
    let han: Vec<char> = HAN.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for k in 0..48 {
        for _ in 0..(k * 7 % 11 + 2) {
            out.push(han[at % han.len()]);
            at += 1;
        }
        out.push('「');
        for _ in 0..2 {
            out.push(han[at % han.len()]);
            at += 1;
        }
        out.push_str(if k % 3 == 0 { "」，" } else { "」" });
    }
    out.push('。');
    out
}

/// A library holding one Chinese page with `paragraph` in it.
fn library_with_paragraph(dir: &Path, paragraph: &str) -> PathBuf {
    let page = dir.join("kinsoku.html");
    std::fs::write(
        &page,
        format!(
            r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>排版测试</title></head><body><article>
<h1>排版测试</h1>
<p>{paragraph}</p>
<p>第二段文字，让这一页成为一篇文章：天地玄黄，宇宙洪荒，日月盈昃，辰宿列张。</p>
</article></body></html>"#
        ),
    )
    .unwrap();
    library_at(&dir.join("kinsoku.folio"), &[page])
}

/// The painted text shape of the block whose own text is `text` (its
/// galley may hold line breaks the reader added).
fn painted(harness: &Harness<'_, FolioApp>, text: &str) -> egui::epaint::TextShape {
    fn walk(shape: &egui::Shape, text: &str, out: &mut Option<egui::epaint::TextShape>) {
        match shape {
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, text, out)),
            egui::Shape::Text(shape) if shape.galley.job.text.replace('\n', "") == text => {
                *out = Some(shape.clone());
            }
            _ => {}
        }
    }
    let mut out = None;
    for clipped in &harness.output().shapes {
        walk(&clipped.shape, text, &mut out);
    }
    out.expect("the paragraph is not painted")
}

/// The first line the reader ended early: (its row, the next row), the
/// next one starting with the moved 「.
fn moved_break(shape: &egui::epaint::TextShape) -> (usize, usize) {
    let rows = &shape.galley.rows;
    let row = (0..rows.len() - 1)
        .find(|&r| {
            rows[r].ends_with_newline && rows[r + 1].row.glyphs.first().map(|g| g.chr) == Some('「')
        })
        .expect("no line break was moved at this width");
    (row, row + 1)
}

/// The screen point just inside the left edge of glyph `i` of `row`, and
/// the block char offset of that glyph.
fn glyph_at(shape: &egui::epaint::TextShape, row: usize, i: usize) -> (egui::Pos2, usize) {
    let rows = &shape.galley.rows;
    let placed = &rows[row];
    let glyph = &placed.row.glyphs[i];
    let pos =
        shape.pos + placed.pos.to_vec2() + egui::vec2(glyph.pos.x + 1.0, placed.row.size.y * 0.5);
    // The galley's char index, less the added breaks before it (the
    // paragraph has none of its own).
    let index: usize = rows[..row]
        .iter()
        .map(|r| r.row.glyphs.len() + usize::from(r.ends_with_newline))
        .sum::<usize>()
        + i;
    let added = shape
        .galley
        .text()
        .chars()
        .take(index)
        .filter(|c| *c == '\n')
        .count();
    (pos, index - added)
}

/// Byte ranges of the painted galley's text drawn on a background (find
/// marks, highlights), neighbours joined.
fn marked(shape: &egui::epaint::TextShape) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for section in &shape.galley.job.sections {
        if section.format.background == egui::Color32::TRANSPARENT {
            continue;
        }
        let range = section.byte_range.start.0..section.byte_range.end.0;
        match out.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => out.push(range),
        }
    }
    out
}

#[test]
fn selecting_copying_highlighting_and_finding_across_a_moved_line_break() {
    let dir = tempfile::tempdir().unwrap();
    let text = paragraph();
    let path = library_with_paragraph(dir.path(), &text);
    let mut harness = app(&path);
    open_article(&mut harness, "排版测试", &text);
    let shape = painted(&harness, &text);
    // As the user sees it: no line ends with 「 (egui alone ends one so at
    // this width), every moved one starts the next line.
    let lines: Vec<String> = (shape.galley.rows.iter())
        .map(|r| r.row.glyphs.iter().map(|g| g.chr).collect())
        .collect();
    assert!(
        lines[..lines.len() - 1].iter().all(|l| !l.ends_with('「')),
        "{lines:#?}"
    );
    let (row, next) = moved_break(&shape);
    let chars: Vec<char> = text.chars().collect();
    let (_, mark) = glyph_at(&shape, next, 0);
    assert_eq!(chars[mark], '「');
    // The line above keeps the rule too: it does not end with 「.
    assert_ne!(
        shape.galley.rows[row].row.glyphs.last().map(|g| g.chr),
        Some('「')
    );

    // Find: the moved mark and the two characters after it are marked
    // exactly, wherever they occur, the moved one among them.
    let needle: String = chars[mark..mark + 3].iter().collect();
    harness.get_by_label(&text).click();
    harness.run_steps(2);
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::F);
    wait_for(&mut harness, "the find field's focus", |h| {
        h.query_by_label("Find in article")
            .is_some_and(|f| f.is_focused())
    });
    harness.get_by_label("Find in article").type_text(&needle);
    let n = text.matches(&needle).count();
    wait_for(&mut harness, "the count", |h| {
        h.query_by_label_contains(&format!(" of {n}")).is_some()
    });
    harness.run_steps(2);
    let shape = painted(&harness, &text);
    let shown = shape.galley.text();
    let found = marked(&shape);
    assert_eq!(found.len(), n, "{found:?}");
    for range in &found {
        assert_eq!(&shown[range.clone()], needle);
    }
    let moved_at = shown
        .char_indices()
        .zip(shown.chars().skip(1))
        .find(|((_, c), next)| *c == '\n' && *next == '「')
        .map(|((b, _), _)| b + 1)
        .unwrap();
    assert!(
        found.iter().any(|r| r.start == moved_at),
        "no find mark on the moved 「 at byte {moved_at}: {found:?}"
    );
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);

    // Drag from three characters before the line's end to three after
    // the next line's start, across the moved break.
    let shape = painted(&harness, &text);
    let last = shape.galley.rows[row].row.glyphs.len() - 3;
    let (from, start) = glyph_at(&shape, row, last);
    let (to, end) = glyph_at(&shape, next, 3);
    drag(&mut harness, from, to);
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::C);
    let copied = copied(&mut harness).expect("Ctrl+C copied nothing");
    let expected: String = chars[start..end].iter().collect();
    assert_eq!(copied, expected);
    assert!(
        copied.contains('「') && !copied.contains('\n'),
        "{copied:?}"
    );

    // H highlights the selection; the library stores the same text.
    press(&mut harness, egui::Modifiers::NONE, egui::Key::H);
    wait_for(&mut harness, "the highlight", |h| {
        h.query_by_label("Highlights (1)").is_some()
    });
    harness.run_steps(2);
    let shape = painted(&harness, &text);
    let shown = shape.galley.text();
    let drawn: Vec<String> = marked(&shape)
        .into_iter()
        .map(|r| shown[r].replace('\n', ""))
        .collect();
    assert_eq!(
        drawn,
        std::slice::from_ref(&expected),
        "the highlight as drawn"
    );
    drop(harness);
    let library = Library::open(&path).unwrap();
    let stored = library.highlights(None).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].quote.exact, expected);
}
