//! References of stored articles ([`crate::cite`]) read through the
//! `Library` API: the citations `folio cite` prints and the window copies,
//! the chosen citation style (a library setting), and a file of references
//! (`.bib`, `.ris`, CSL-JSON `.json`) written like every export, beside its
//! target and renamed into place.

use std::io::Write as _;

use super::target::{TargetKind, TempTarget};
use crate::cite::{self, Format, Reference, Style};
use crate::library::{
    ArticleId, ExportError, ExportJob, ExportReport, ExportResult, Library, StoredArticle,
};

/// The library setting that names the citation style (`apa`, `mla`,
/// `gb-7714-2015-numeric`, …: any name of hayagriva's archive).
pub const SETTING_STYLE: &str = "citation_style";

/// The chosen style's name: the setting when it names a style of the
/// archive, else [`cite::DEFAULT_STYLE`].
pub fn chosen_style_name(lib: &Library) -> String {
    lib.setting(SETTING_STYLE)
        .ok()
        .flatten()
        .filter(|name| Style::by_name(name).is_ok())
        .unwrap_or_else(|| cite::DEFAULT_STYLE.to_owned())
}

/// The reference of one stored article, with its original's hash when the
/// original is stored.
pub fn reference(lib: &Library, stored: &StoredArticle) -> crate::library::Result<Reference> {
    let hash = lib.original_sha256(stored.id)?;
    Ok(Reference::from_stored(stored, hash.as_deref()))
}

/// The references of `ids` (repeats once, in the order given), their keys
/// unique among them. An unknown id is an error naming it.
pub fn references(lib: &Library, ids: &[ArticleId]) -> crate::library::Result<Vec<Reference>> {
    let mut references = Vec::with_capacity(ids.len());
    for id in crate::library::unique_ids(ids) {
        let stored = lib.article_without_image_bytes(id)?;
        references.push(reference(lib, &stored)?);
    }
    cite::assign_keys(&mut references);
    Ok(references)
}

/// The citations of `ids` in `format` (`style` for text), as one string.
pub fn cite_ids(
    lib: &Library,
    ids: &[ArticleId],
    format: Format,
    style: &Style,
) -> anyhow::Result<String> {
    let references = references(lib, ids)?;
    Ok(cite::render(&references, format, style)?)
}

/// Write the references of `job.ids` in `format` to the file `job.out`
/// (see [`super::export`]); text is not a file format here (a style's text
/// is copied or printed, not exported).
pub fn export(lib: &Library, format: Format, job: &ExportJob<'_>) -> ExportResult<ExportReport> {
    let target = TempTarget::new(job.out, job.overwrite, TargetKind::References(format))?;
    let mut references = Vec::with_capacity(job.ids.len());
    let mut failure = None;
    super::folder::for_each_article(lib, job, |stored| {
        match reference(lib, &stored) {
            Ok(reference) => references.push(reference),
            Err(err) => failure = Some(err),
        }
        Ok(())
    })?;
    if let Some(err) = failure {
        return Err(ExportError::Library(err));
    }
    cite::assign_keys(&mut references);
    let style = Style::by_name(&chosen_style_name(lib)).map_err(std::io::Error::other)?;
    let text = cite::render(&references, format, &style).map_err(std::io::Error::other)?;
    let mut file = std::fs::File::create_new(target.path())?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(file);
    target.publish()?;
    Ok(ExportReport {
        articles: references.len(),
        ..ExportReport::default()
    })
}
