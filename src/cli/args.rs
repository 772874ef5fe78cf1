//! The command line's shape: every subcommand and flag (clap), and how a
//! query given after `search`, `list` or `export` is read whole.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use clap::{CommandFactory as _, Parser, Subcommand};

use crate::library::{ArticleId, SortBy, SortOrder};

/// Folio: a native desktop archive manager for saved web articles.
///
/// `folio FILE…` (saved pages, no command) opens the window and imports them,
/// then shows the first; a page named like a command is given as `./NAME`.
#[derive(Debug, Parser)]
#[command(
    name = "folio",
    version,
    about,
    override_usage = "folio [OPTIONS] [FILE]...\n       folio [OPTIONS] <COMMAND>"
)]
pub struct Cli {
    /// The library file to use (default: the platform data directory's `folio/library.folio`).
    #[arg(long, global = true, value_name = "PATH")]
    pub library: Option<PathBuf>,
    /// Open the sample library (built on first use from the bundled sample articles).
    #[arg(long)]
    pub sample: bool,
    /// Initial window size, e.g. `1920x1080`.
    #[arg(long, value_name = "WxH")]
    pub window_size: Option<String>,
    /// Make no network request at all (`fetch-images` then fails, and an
    /// import does not fetch images even when `fetch_images_on_import` is on).
    #[arg(long, global = true)]
    pub offline: bool,
    /// Saved pages (or folders of them) to open: the window opens on the
    /// library, imports them and shows the first.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// What to do; without a command Folio opens its window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Parse the process's arguments, with [`query_args_escaped`] applied
    /// so that a query may start with `-` (`folio list -tag:done`); a usage
    /// error (or `--help`) comes back for the caller to print.
    pub fn try_parse_args() -> Result<Self, clap::Error> {
        Self::try_parse_from(query_args_escaped(std::env::args_os().collect()))
    }
}

/// The subcommands whose trailing words are a query.
const QUERY_COMMANDS: [&str; 3] = ["search", "list", "export"];

/// Let a query word start with `-` as users type it (`folio list -tag:x`,
/// `folio search rust -cargo --json`): for `search`, `list` and `export`,
/// when a query word starts with a single `-`, the subcommand's options (and
/// their values) are moved before the query and a `--` is put in front of
/// the query, in the order typed. Other arguments are returned unchanged; an
/// unknown `--option` stays an option, so clap still reports it.
///
/// (clap's `allow_hyphen_values` on the query would also take every option
/// after the first query word as query text: `folio search x --json`.)
pub fn query_args_escaped(args: Vec<OsString>) -> Vec<OsString> {
    let root = Cli::command();
    // Options taking a value: the value is the next argument unless `=` is used.
    let takes_value = |cmd: &clap::Command, word: &str| -> bool {
        let Some(long) = word.strip_prefix("--") else {
            return false;
        };
        !long.contains('=')
            && cmd
                .get_arguments()
                .chain(root.get_arguments())
                .any(|a| a.get_long() == Some(long) && a.get_action().takes_values())
    };
    // Find the subcommand: the first word that is not a root option or its value.
    let mut i = 1;
    while let Some(word) = args.get(i).and_then(|w| w.to_str()) {
        if !word.starts_with('-') {
            break;
        }
        i += if takes_value(&root, word) { 2 } else { 1 };
    }
    let Some(name) = args.get(i).and_then(|w| w.to_str()) else {
        return args;
    };
    let Some(sub) = root
        .get_subcommands()
        .find(|c| QUERY_COMMANDS.contains(&name) && c.get_name() == name)
    else {
        return args;
    };
    let is_query_hyphen = |w: &OsStr| {
        w.to_str()
            .is_some_and(|w| w.len() > 1 && w.starts_with('-') && !w.starts_with("--") && w != "-h")
    };
    let rest = &args[i + 1..];
    let escape_at = rest.iter().position(|w| w == "--").unwrap_or(rest.len());
    if !rest[..escape_at].iter().any(|w| is_query_hyphen(w)) {
        return args;
    }
    let mut options: Vec<OsString> = Vec::new();
    let mut query: Vec<OsString> = Vec::new();
    let mut words = rest[..escape_at].iter();
    while let Some(word) = words.next() {
        let text = word.to_str().unwrap_or("");
        if (text.starts_with("--") && text.len() > 2) || text == "-h" {
            options.push(word.clone());
            if takes_value(sub, text)
                && let Some(value) = words.next()
            {
                options.push(value.clone());
            }
        } else {
            query.push(word.clone());
        }
    }
    // After the user's own `--`, every word is the query's.
    query.extend(rest[escape_at..].iter().skip(1).cloned());
    let mut out = args[..=i].to_vec();
    out.extend(options);
    out.push("--".into());
    out.extend(query);
    out
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract the article(s) of saved pages and print them (nothing is stored).
    Extract {
        /// Print one JSON object per file per line.
        #[arg(long)]
        json: bool,
        /// Saved pages (.html, .htm, .mhtml, mirror .md/.txt, …).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Import saved pages (files and folders) into the library.
    ///
    /// Exits with 0 when every file was imported or was already there, 1 when
    /// some could not be imported (they are listed with the reason).
    Import {
        /// Replace articles already in the library (keeping their tags and
        /// notes) instead of skipping them as duplicates.
        #[arg(long)]
        update: bool,
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
        /// Most articles committed in one transaction (a batch also ends
        /// after half a second). Smaller batches keep less work at risk
        /// when the import is interrupted; larger ones import faster.
        #[arg(long, value_name = "N", default_value_t = 200,
              value_parser = clap::value_parser!(u16).range(1..))]
        batch_size: u16,
        /// Longest one page may take to read and extract, in seconds; a
        /// page that takes longer fails with its reason and the import goes on.
        #[arg(long, value_name = "SECS", default_value_t = crate::read::limits::PAGE_TIME_BUDGET.as_secs_f64(),
              value_parser = parse_seconds)]
        page_timeout: f64,
        /// Saved pages and folders of them.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Re-run extraction from the stored originals, keeping tags and notes.
    Reextract {
        /// Re-extract every article (trashed ones too).
        #[arg(long, conflicts_with = "ids")]
        all: bool,
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
        /// The articles to re-extract.
        #[arg(required_unless_present = "all", value_name = "ID")]
        ids: Vec<ArticleId>,
    },
    /// Full-text search, best match first.
    ///
    /// The query language: `library::QUERY_SYNTAX`, also the window's Help.
    #[command(long_about = format!(
        "Full-text search, best match first.\n\n{}",
        crate::library::QUERY_SYNTAX
    ))]
    Search {
        /// The query (several words are joined with spaces).
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        /// Sort order (relevance: best match first).
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        /// Ascending (oldest, A to Z) instead of the order's usual direction.
        #[arg(long, conflicts_with = "desc")]
        asc: bool,
        /// Descending (newest, Z to A) instead of the order's usual direction.
        #[arg(long)]
        desc: bool,
        /// Most results to show; 0 shows all.
        #[arg(long, default_value_t = 50, value_name = "N")]
        limit: usize,
        /// Print a JSON array of results.
        #[arg(long)]
        json: bool,
    },
    /// List articles, optionally filtered by a query (see `folio search --help`).
    List {
        /// Only articles matching this query.
        #[arg(value_name = "QUERY")]
        query: Vec<String>,
        /// Sort order (relevance ranks when the query has text; undated
        /// and siteless articles come last either way).
        #[arg(long, value_enum, default_value_t = SortArg::Date)]
        sort: SortArg,
        /// Ascending (oldest, A to Z) instead of the order's usual direction.
        #[arg(long, conflicts_with = "desc")]
        asc: bool,
        /// Descending (newest, Z to A) instead of the order's usual direction.
        #[arg(long)]
        desc: bool,
        /// Most articles to show; 0 shows all.
        #[arg(long, default_value_t = 50, value_name = "N")]
        limit: usize,
        /// Print a JSON array of articles.
        #[arg(long)]
        json: bool,
    },
    /// Show one stored article with its tags and note.
    Show {
        /// The article.
        id: ArticleId,
        /// Print it as JSON (the shape of `folio extract --json` plus `id`,
        /// `tags`, `note`).
        #[arg(long)]
        json: bool,
        /// Show this version of the article (a number from `folio versions`)
        /// instead of the copy shown.
        #[arg(long, value_name = "N")]
        version: Option<usize>,
    },
    /// Correct what Folio read of an article: its title, date, byline,
    /// editor, site name or web address. What Folio read is kept beside the
    /// correction (`folio show` prints both; `--reset FIELD` puts it back);
    /// a correction survives re-extraction, a better copy, export and merge.
    /// An empty value clears a field (not the title). A value that is not a
    /// date, not an http(s) address, holds control characters or is over
    /// 2,000 characters is refused and nothing changes.
    Edit {
        /// The article.
        id: ArticleId,
        /// The title.
        #[arg(long)]
        title: Option<String>,
        /// The publication date: YYYY-MM-DD (or YYYY, YYYY-MM), optionally
        /// with a time (YYYY-MM-DDTHH:MM[:SS]) and a zone (Z, +08:00).
        #[arg(long)]
        published: Option<String>,
        /// The author(s), as the page names them.
        #[arg(long)]
        byline: Option<String>,
        /// The responsible editor.
        #[arg(long)]
        editor: Option<String>,
        /// The site's name.
        #[arg(long)]
        site: Option<String>,
        /// The article's web address (http or https).
        #[arg(long)]
        url: Option<String>,
        /// Put back what Folio read for this field (title, published,
        /// byline, editor, site, url); may be given several times.
        #[arg(long, value_name = "FIELD")]
        reset: Vec<String>,
    },
    /// Show an article's saved original as it was saved — its layout,
    /// styles, fonts and images — in the system browser, served from the
    /// library on this machine only (127.0.0.1, behind an unguessable
    /// address that changes every time).
    ///
    /// No script of the page runs and nothing is fetched from the web: a
    /// file the save lacks is simply missing. Links to other pages are
    /// marked ↗ and open the live web in a new tab; a link to a page your
    /// library holds opens that page as saved. Serves until Ctrl+C.
    Original {
        /// The article.
        id: ArticleId,
        /// Show this version (a number from `folio versions`) instead of
        /// the copy shown.
        #[arg(long)]
        version: Option<usize>,
        /// Print the address on standard output instead of opening a
        /// browser (then serve until Ctrl+C).
        #[arg(long)]
        print_url: bool,
    },
    /// List the versions of an article: every copy imported that differs
    /// from the others, oldest first, with the one shown marked.
    ///
    /// Each version: its number, when it was stored, the file and format it
    /// came from, the original's size, its content hash, and the paragraphs
    /// it added, removed and edited against the version before.
    Versions {
        /// The article.
        id: ArticleId,
        /// Print a JSON array of `{"number", "shown", "title", "published",
        /// "imported_at", "source_file", "source_format", "original_size",
        /// "content_hash", "paragraphs", "images", "inserted", "deleted",
        /// "changed", "seen_again", "captured_at", "captured_from"}`.
        #[arg(long)]
        json: bool,
    },
    /// Show what changed between two versions of an article: paragraphs
    /// added and removed, edited paragraphs with the words (Latin) or
    /// characters (Chinese) removed `[-so-]` and added `{+so+}`, images
    /// added and removed, and changed details.
    ///
    /// Without V1 and V2: the version before the last against the last.
    Diff {
        /// The article.
        id: ArticleId,
        /// The older version (a number from `folio versions`).
        v1: Option<usize>,
        /// The newer version.
        #[arg(requires = "v1")]
        v2: Option<usize>,
        /// Print the comparison as JSON: `metadata`, `paragraphs` (each
        /// `{"op": "equal"|"inserted"|"deleted"|"changed", "old", "new",
        /// "kind", "text" or "spans": [{"op", "text"}]}`), `images_added`,
        /// `images_removed`, `complete`, `counts`.
        #[arg(long)]
        json: bool,
    },
    /// Remove a version of an article (never the one shown, never the last).
    Version {
        /// What to do.
        #[command(subcommand)]
        action: VersionCommand,
    },
    /// Add, remove, rename or delete tags.
    Tag {
        /// What to do.
        #[command(subcommand)]
        action: TagCommand,
    },
    /// List the tag tree: each tag with the articles carrying it and (in
    /// brackets) those carrying it or a tag below it.
    Tags {
        /// Print a JSON array of `{"name", "label", "depth", "exists",
        /// "count", "total", "colour", "own_colour"}`, depth first.
        #[arg(long)]
        json: bool,
    },
    /// Save, delete or rename collections (saved searches).
    Collection {
        /// What to do.
        #[command(subcommand)]
        action: CollectionCommand,
    },
    /// List the collections with their queries and live counts.
    Collections {
        /// Print a JSON array of `{"name", "query", "count", "created", "error"}`.
        #[arg(long)]
        json: bool,
    },
    /// Mark articles read or unread, starred or not.
    Mark {
        /// The articles.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<ArticleId>,
        /// Mark them read.
        #[arg(long, group = "state")]
        read: bool,
        /// Mark them unread.
        #[arg(long, group = "state")]
        unread: bool,
        /// Star them.
        #[arg(long, group = "state")]
        star: bool,
        /// Unstar them.
        #[arg(long, group = "state")]
        unstar: bool,
    },
    /// Print, set or edit an article's note.
    Note {
        /// The article.
        id: ArticleId,
        /// Set the note to this text (`""` clears it).
        #[arg(long, conflicts_with = "edit", value_name = "TEXT")]
        set: Option<String>,
        /// Edit the note in `$EDITOR` (default `vi`).
        #[arg(long)]
        edit: bool,
    },
    /// Highlight a quote of an article, delete a highlight or comment on it.
    Highlight {
        /// What to do.
        #[command(subcommand)]
        action: super::highlight::HighlightCommand,
    },
    /// List highlights: of the given articles, of the articles a query
    /// matches (see `folio search --help`), else of every live article.
    ///
    /// `--format markdown` writes each highlight as a `>` block quote, its
    /// comment, then its article's citation in the chosen citation style
    /// (`--style`, else the library's `citation_style` setting).
    Highlights {
        /// Print W3C Web Annotations (JSON-LD) as a JSON array (as `--format json`).
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// What to write.
        #[arg(long, value_enum, default_value_t = super::highlight::HighlightsFormatArg::Text)]
        format: super::highlight::HighlightsFormatArg,
        /// The citation style of `--format markdown` (a name from `folio cite --list-styles`).
        #[arg(long, value_name = "NAME")]
        style: Option<String>,
        /// The order: by article (newest publication first, each article's
        /// highlights by position, orphans last), newest first, or by colour.
        #[arg(long, value_enum, default_value_t = super::highlight::HighlightsSortArg::Article)]
        sort: super::highlight::HighlightsSortArg,
        /// Article ids (numbers only), or a query (anything else; several
        /// words are joined with spaces).
        #[arg(value_name = "ID|QUERY")]
        args: Vec<String>,
    },
    /// Counts and sizes of the library.
    Stats {
        /// Print a JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Check the library for damage; exits with 1 when problems are found.
    ///
    /// Runs SQLite's integrity check, Folio's own invariants, and verifies
    /// every stored original, resource and image (they decompress to their
    /// recorded size, match their sha256).
    Check {
        /// Skip verifying the stored originals, resources and images (the
        /// slow part on a large library); the output says it was skipped.
        #[arg(long)]
        quick: bool,
    },
    /// Put articles in the trash (they disappear from lists and searches),
    /// or with `--empty` delete everything in the trash for good.
    Trash {
        /// Delete every article in the trash for good (no question asked).
        #[arg(long, conflicts_with = "ids")]
        empty: bool,
        /// The articles.
        #[arg(required_unless_present = "empty", value_name = "ID")]
        ids: Vec<ArticleId>,
    },
    /// Take articles out of the trash.
    Restore {
        /// The articles.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<ArticleId>,
    },
    // ---- missing images and settings (see cli/fetch.rs) -------------------
    /// Download the images that articles know only by URL, and store them.
    ///
    /// The only command that uses the network. Exits with 0 when every image
    /// was fetched (or none was missing), 1 when some failed (each is listed
    /// with the reason) or when Folio is offline.
    FetchImages {
        /// Fetch the missing images of every live article.
        #[arg(long, conflicts_with = "ids")]
        all: bool,
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
        /// Longest wait for the server to send anything, in seconds.
        #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
        read_timeout: f64,
        /// Longest wait to connect, in seconds.
        #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
        connect_timeout: f64,
        /// Largest image accepted, in bytes.
        #[arg(long, default_value_t = 20_000_000, value_name = "BYTES")]
        max_bytes: u64,
        /// The articles whose images to fetch.
        #[arg(required_unless_present = "all", value_name = "ID")]
        ids: Vec<ArticleId>,
    },
    /// Show the library's settings, or show or set one.
    ///
    /// Known settings: `offline` (true: no network request at all),
    /// `fetch_images_on_import` (true: `folio import` fetches missing images
    /// after storing), both off by default, and `citation_style` (the style
    /// of `folio cite` and the window's "Copy citation": a name from
    /// `folio cite --list-styles`; default `apa`).
    Settings {
        /// The setting to show or set.
        key: Option<String>,
        /// Its new value (`true`/`false`, or a style name for `citation_style`).
        value: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export articles: as a standalone Folio library (sqlite, the default),
    /// a folder of Markdown files or HTML pages, JSON Lines, or references
    /// (bibtex, biblatex, ris, csl-json).
    ///
    /// Writes the articles matching QUERY (the language of `folio search`;
    /// without one, the whole library) or those given with `--ids`. The export
    /// is built next to PATH and renamed into place when complete. An existing
    /// PATH is replaced only with `--force`; otherwise Folio exits with 1.
    /// References without `--out` are printed.
    Export {
        /// Where to write: a file (sqlite, jsonl, references) or a folder
        /// (markdown, html). References may omit it: they are printed.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// What to write.
        #[arg(long, value_enum, default_value_t = ExportFormatArg::Sqlite)]
        format: ExportFormatArg,
        /// Replace PATH if it exists.
        #[arg(long)]
        force: bool,
        /// Export exactly these articles (comma-separated ids) instead of a query.
        #[arg(
            long,
            value_delimiter = ',',
            value_name = "ID,…",
            conflicts_with = "query"
        )]
        ids: Vec<ArticleId>,
        /// Only articles matching this query.
        #[arg(value_name = "QUERY")]
        query: Vec<String>,
    },
    /// Cite articles: as formatted text in a citation style, or as BibTeX,
    /// BibLaTeX, RIS or CSL-JSON for a reference manager.
    ///
    /// Text is formatted by a CSL processor in the style given with
    /// `--style`, else the `citation_style` setting, else APA 7. Styles come
    /// from hayagriva's archive of CSL styles: apa, chicago-author-date, mla,
    /// gb-7714-2015-numeric, gb-7714-2015-author-date, … (`--list-styles`
    /// lists every one). Authors come from the byline (Chinese names kept
    /// whole); the accessed date is the day the article was added; a note
    /// gives the stored original's SHA-256.
    Cite {
        /// What to write.
        #[arg(long, value_enum, default_value_t = CiteFormatArg::Text)]
        format: CiteFormatArg,
        /// The citation style for `--format text` (a name from `--list-styles`).
        #[arg(long, value_name = "NAME")]
        style: Option<String>,
        /// List the citation styles (name and title) and exit.
        #[arg(long)]
        list_styles: bool,
        /// The articles.
        #[arg(value_name = "ID", required_unless_present = "list_styles")]
        ids: Vec<ArticleId>,
    },
    /// Merge another Folio library file (e.g. an export) into this library.
    ///
    /// Articles already here (same canonical URL or text) are not added again:
    /// their tags are unioned and a differing note is appended under a line
    /// naming FILE. The file is checked before anything is read; a file that
    /// is not a well-formed Folio library is refused and nothing changes.
    Merge {
        /// The library file to merge.
        file: PathBuf,
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// The formats `folio export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormatArg {
    /// A standalone Folio library (opens with `folio --library PATH`).
    Sqlite,
    /// A folder with one Markdown file per article and an `images/` folder.
    Markdown,
    /// A folder with `index.html`, one page per article and an `images/` folder.
    Html,
    /// One JSON object per article per line (the shape of `folio show --json`).
    Jsonl,
    /// BibTeX entries (a `.bib` file).
    Bibtex,
    /// BibLaTeX entries (a `.bib` file).
    Biblatex,
    /// RIS records (a `.ris` file).
    Ris,
    /// A CSL-JSON array (a `.json` file).
    CslJson,
}

impl From<ExportFormatArg> for crate::export::ExportFormat {
    fn from(format: ExportFormatArg) -> Self {
        match format {
            ExportFormatArg::Sqlite => Self::Sqlite,
            ExportFormatArg::Markdown => Self::Markdown,
            ExportFormatArg::Html => Self::Html,
            ExportFormatArg::Jsonl => Self::Jsonl,
            ExportFormatArg::Bibtex => Self::References(crate::cite::Format::Bibtex),
            ExportFormatArg::Biblatex => Self::References(crate::cite::Format::Biblatex),
            ExportFormatArg::Ris => Self::References(crate::cite::Format::Ris),
            ExportFormatArg::CslJson => Self::References(crate::cite::Format::CslJson),
        }
    }
}

/// The formats `folio cite` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CiteFormatArg {
    /// Formatted text in a citation style.
    Text,
    /// A CSL-JSON array.
    CslJson,
    /// BibTeX entries.
    Bibtex,
    /// BibLaTeX entries.
    Biblatex,
    /// RIS records.
    Ris,
}

impl From<CiteFormatArg> for crate::cite::Format {
    fn from(format: CiteFormatArg) -> Self {
        match format {
            CiteFormatArg::Text => Self::Text,
            CiteFormatArg::CslJson => Self::CslJson,
            CiteFormatArg::Bibtex => Self::Bibtex,
            CiteFormatArg::Biblatex => Self::Biblatex,
            CiteFormatArg::Ris => Self::Ris,
        }
    }
}

/// The `folio version` subcommands.
#[derive(Debug, Subcommand)]
pub enum VersionCommand {
    /// Remove version V of article ID (a kept copy, not the one shown) and
    /// print what was removed. Nothing is asked.
    Rm {
        /// The article.
        id: ArticleId,
        /// The version (a number from `folio versions`).
        version: usize,
    },
}

/// The `folio tag` subcommands.
#[derive(Debug, Subcommand)]
pub enum TagCommand {
    /// Add tags to an article (creating them as needed).
    Add {
        /// The article.
        id: ArticleId,
        /// The tags.
        #[arg(required = true, value_name = "TAG")]
        tags: Vec<String>,
    },
    /// Remove tags from an article.
    Remove {
        /// The article.
        id: ArticleId,
        /// The tags.
        #[arg(required = true, value_name = "TAG")]
        tags: Vec<String>,
    },
    /// Rename a tag; when NEW exists already, the two are merged.
    Rename {
        /// The tag's current name.
        old: String,
        /// Its new name.
        new: String,
    },
    /// Delete a tag, removing it from every article.
    Delete {
        /// The tag.
        tag: String,
    },
    /// Set a tag's colour (`#rrggbb`), or clear it when none is given.
    Colour {
        /// The tag.
        tag: String,
        /// The colour, e.g. `#d04040`.
        colour: Option<String>,
    },
}

/// The `folio collection` subcommands.
#[derive(Debug, Subcommand)]
pub enum CollectionCommand {
    /// Save QUERY as the collection NAME (replacing its query if it exists).
    Add {
        /// The collection's name.
        name: String,
        /// The query (several words are joined with spaces).
        #[arg(required = true, value_name = "QUERY", allow_hyphen_values = true)]
        query: Vec<String>,
    },
    /// Delete a collection (its articles stay).
    Rm {
        /// The collection.
        name: String,
    },
    /// Rename a collection (and the references to it in other collections).
    Rename {
        /// Its current name.
        old: String,
        /// Its new name.
        new: String,
    },
}

/// The orders `folio list` and `folio search` can sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SortArg {
    /// Best match first (with a text query; else newest first).
    Relevance,
    /// Newest publication date first.
    Date,
    /// Title, A to Z.
    Title,
    /// Most recently added first.
    Added,
    /// Site name A to Z.
    Site,
}

impl SortArg {
    /// The library's sort order: this key, ascending with `asc`, descending
    /// with `desc`, else in its usual direction.
    pub fn order(self, asc: bool, desc: bool) -> SortOrder {
        let by = match self {
            Self::Relevance => SortBy::Relevance,
            Self::Date => SortBy::Date,
            Self::Title => SortBy::Title,
            Self::Added => SortBy::Added,
            Self::Site => SortBy::Site,
        };
        match (asc, desc) {
            (true, _) => SortOrder::asc(by),
            (_, true) => SortOrder::desc(by),
            _ => SortOrder::new(by),
        }
    }
}

/// A positive number of seconds, at most a day.
fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs <= 86_400.0 => Ok(secs),
        _ => Err(format!(
            "{text:?} is not a number of seconds between 0 and 86400"
        )),
    }
}
