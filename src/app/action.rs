//! What the panes ask for: every change beyond a pane's own state, and all
//! worker traffic, is an [`Action`], applied at the end of the frame.

use std::path::PathBuf;

use super::state::{ColumnWidth, LineSpacing, Pane, ReaderFont};
use crate::export::highlights::HighlightFormat;
use crate::jobs::Task;
use crate::library::{ArticleId, Colour, HighlightId, HighlightOrder, SortOrder};

/// What a UI function asks for; applied at the end of the frame.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub enum Action {
    /// Open an article in the reader.
    Select(ArticleId),
    /// Move the selection by this many rows.
    MoveSelection(isize),
    /// Fetch this page of the list (ignored when it is here or asked for).
    RequestPage(usize),
    /// Toggle a tag in the filter (`exclude` for the negated filter).
    ToggleTagFilter {
        /// The tag.
        name: String,
        /// Exclude instead of include.
        exclude: bool,
    },
    /// Change the list order.
    SetOrder(SortOrder),
    /// Show all articles, the unread or the starred.
    SetReadFilter(ReadFilter),
    /// Show a collection (`None`: leave it).
    OpenCollection(Option<String>),
    /// Open the window that saves a query as a collection (`old: None`) or
    /// renames the collection `old`.
    CollectionDialog {
        /// The collection to rename, if renaming.
        old: Option<String>,
        /// The query it saves.
        query: String,
    },
    /// Put this span of publication dates in the search box (the timeline).
    SetDateRange {
        /// `after:` (inclusive), `YYYY-MM-DD`.
        after: String,
        /// `before:` (exclusive), `YYYY-MM-DD`.
        before: String,
    },
    /// Take the dates out of the search box.
    ClearDateRange,
    /// Mark the open article (or the selected rows) read or unread.
    ToggleRead,
    /// Star or unstar the open article (or the selected rows).
    ToggleStar,
    /// Add a tag to an article.
    AddTag(ArticleId, String),
    /// Remove a tag from an article.
    RemoveTag(ArticleId, String),
    /// Add a tag to each of these articles.
    TagMany {
        /// The articles.
        ids: Vec<ArticleId>,
        /// The tag.
        name: String,
    },
    /// Remove a tag from each of these articles.
    UntagMany {
        /// The articles.
        ids: Vec<ArticleId>,
        /// The tag.
        name: String,
    },
    /// Mark these articles read or unread, starred or not (`None`: leave as is).
    Mark {
        /// The articles.
        ids: Vec<ArticleId>,
        /// Read (`true`) or unread.
        read: Option<bool>,
        /// Starred (`true`) or not.
        starred: Option<bool>,
    },
    /// Rename a tag (merging into an existing one); the filters follow it.
    RenameTag {
        /// The tag's name now.
        old: String,
        /// Its new name.
        new: String,
    },
    /// Delete a tag everywhere; it leaves the filters.
    DeleteTag(String),
    /// Set (`#rrggbb`) or clear a tag's colour.
    SetTagColour {
        /// The tag.
        name: String,
        /// The colour, or none.
        colour: Option<String>,
    },
    /// Save a query as a collection (replacing one of that name).
    SaveCollection {
        /// The collection's name.
        name: String,
        /// The query it saves.
        query: String,
    },
    /// Rename a collection; the list follows it when it is the one shown.
    RenameCollection {
        /// The collection's name now.
        old: String,
        /// Its new name.
        new: String,
    },
    /// Delete a collection.
    RemoveCollection(String),
    /// Set a highlight's comment (empty removes it).
    SetHighlightComment(HighlightId, String),
    /// Set a highlight's colour.
    SetHighlightColour(HighlightId, Colour),
    /// Delete a highlight.
    DeleteHighlight(HighlightId),
    /// Decode a stored image for the texture cache (`thumbnail`: the
    /// list's small version).
    LoadImage {
        /// The image's sha256.
        sha256: String,
        /// The small version.
        thumbnail: bool,
    },
    /// Stop the running task of this kind.
    Cancel(Task),
    /// Start an import of these paths.
    Import(Vec<PathBuf>),
    /// Import this file again, replacing the article it duplicates ("Use
    /// this copy instead" in the import report).
    ReplaceWithCopy(PathBuf),
    /// Open the system file dialog for files (`false`) or a folder (`true`).
    PickFiles {
        /// Pick a folder instead of files.
        folder: bool,
    },
    /// Open the in-app "import from path" field.
    OpenPathDialog,
    /// Trash the open article (or the selected rows).
    TrashOpen,
    /// Take back the newest change made in the window (Ctrl+Z).
    Undo,
    /// Make the newest undone change again (Ctrl+Shift+Z, Ctrl+Y).
    Redo,
    /// Change the reader's text size by this many points.
    TextSize(f32),
    /// Use this typeface in the reader.
    ReaderFont(ReaderFont),
    /// Set the reading column's width.
    Column(ColumnWidth),
    /// Set the reader's line spacing.
    LineSpacing(LineSpacing),
    /// Show or hide a pane beside the reader.
    TogglePane(Pane),
    /// Scroll the reader (a key: Space, Page Up/Down, Home, End).
    ScrollReader(Scroll),
    /// Select the whole article in the reader.
    SelectAll,
    /// Copy the reader's selection: plain text, or a Markdown quote with a
    /// citation line (`quote`).
    CopySelection {
        /// As a Markdown block quote with a citation.
        quote: bool,
    },
    /// Put the keyboard focus in the search box.
    FocusSearch,
    /// Open the reader's find bar with the keyboard in it.
    FindInArticle,
    /// Leave the search box for its results: the list takes the keys and
    /// its first row opens.
    IntoResults,
    /// Move the reader's paragraph focus (j / k): 1 down, -1 up.
    FocusParagraph(i32),
    /// Highlight the reader's focused paragraph (H with no selection).
    HighlightFocused,
    /// Step the find bar's matches: 1 forward, -1 back.
    FindStep(i32),
    /// Close the reader's find bar.
    CloseFind,
    /// Step the library search's matches in the open article: 1 forward, -1 back.
    SearchStep(i32),
    /// Put the keyboard focus in the inspector's tag field.
    FocusTagInput,
    /// Import the bundled sample articles.
    LoadSamples,
    /// Open the window that renames (or merges) this tag.
    RenameTagDialog(String),
    /// Open an image full size.
    ZoomImage(String),
    /// Download the missing images of an article (only ever on request).
    FetchImages(ArticleId),
    /// Open the export dialog.
    OpenExport,
    /// Open the "open library" dialog.
    OpenLibraryDialog,
    /// Open the "import library" (merge) dialog.
    MergeDialog,
    /// Export articles.
    Export {
        /// The format.
        format: crate::export::ExportFormat,
        /// Which articles.
        scope: Scope,
        /// Where to.
        out: PathBuf,
        /// Replace an existing target.
        overwrite: bool,
    },
    /// Switch the window to another library file.
    OpenLibrary(PathBuf),
    /// Merge another library file into this one.
    MergeLibrary(PathBuf),
    /// Correct details of an article: `(field, value)` pairs (an empty
    /// value clears the field), and fields to put back as Folio read them.
    EditDetails {
        /// The article.
        id: ArticleId,
        /// The corrections.
        changes: Vec<(String, String)>,
        /// The fields reset.
        reset: Vec<String>,
    },
    /// Show version `number` of an article in the reader (the copy shown by
    /// default, or one kept).
    ShowVersion {
        /// The article.
        id: ArticleId,
        /// The version (from 1).
        number: usize,
    },
    /// Show a copy of an article as it was saved, in the system browser.
    ViewAsSaved {
        /// The article.
        id: ArticleId,
        /// The version, or the copy shown.
        version: Option<usize>,
    },
    /// Open the compare window on two versions of an article.
    CompareVersions {
        /// The article.
        id: ArticleId,
        /// The older version.
        old: usize,
        /// The newer version.
        new: usize,
    },
    /// Highlight the reader's selection in a colour.
    Highlight(Colour),
    /// Open a highlight's comment editor.
    OpenHighlight(HighlightId),
    /// Scroll the reader to a highlight and open its comment editor.
    ShowHighlight(HighlightId),
    /// Attach a highlight (an orphan) to the reader's selection.
    ReattachHighlight(HighlightId),
    /// Select every row of the list's result, loaded or not (Ctrl+A in
    /// the list): the worker is asked for the matching ids.
    SelectAllRows,
    /// Move these articles to the trash.
    TrashMany(Vec<ArticleId>),
    /// Open the export dialog on these articles.
    ExportMany(Vec<ArticleId>),
    /// Open the export dialog on these articles with a references format
    /// chosen (the bulk bar's "Export references…").
    ExportReferences(Vec<ArticleId>),
    /// Copy the citations of these articles in a format (text: in the
    /// chosen style).
    CopyCitation {
        /// The articles.
        ids: Vec<ArticleId>,
        /// The format.
        format: crate::cite::Format,
    },
    /// Copy the open article's citation in a format.
    CopyOpenCitation(crate::cite::Format),
    /// Choose the citation style (a name of hayagriva's archive).
    SetCitationStyle(String),
    /// Show the trash in the library pane (`true`) or the library again.
    ShowTrash(bool),
    /// Ask the worker for this page of the trash.
    RequestTrashPage(usize),
    /// Bring these articles back from the trash.
    RestoreMany(Vec<ArticleId>),
    /// Delete every trashed article for good (after the user confirmed).
    EmptyTrash,
    /// Show the highlights view in the library pane (`true`) or the articles.
    ShowHighlights(bool),
    /// Order the highlights view.
    SetHighlightOrder(HighlightOrder),
    /// Fetch this page of the highlights view (ignored when it is here or asked for).
    RequestHighlightPage(usize),
    /// Open an article in the reader scrolled to one of its highlights.
    GoToHighlight {
        /// The article.
        article: ArticleId,
        /// The highlight.
        highlight: HighlightId,
    },
    /// Write highlights with their citations: copied, or into a new file.
    WriteHighlights {
        /// The highlights, in order.
        ids: Vec<HighlightId>,
        /// The format.
        format: HighlightFormat,
        /// The file, or `None` to copy.
        out: Option<PathBuf>,
    },
    /// Close the open dialogs and windows (Escape).
    CloseWindows,
    /// Clear the status bar's message (its ×).
    DismissStatus,
    /// Open a page of the Help menu.
    ShowHelp(HelpPage),
}

/// What an export covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// The article open in the reader.
    Open,
    /// The articles the list shows (search and tag filters).
    #[default]
    Listed,
    /// The whole library.
    All,
    /// The articles chosen in the list (a selection, or one row's context
    /// menu); the ids are kept by the frame loop.
    Chosen,
}

/// The reading-state filter of the list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReadFilter {
    /// Every article.
    #[default]
    All,
    /// `is:unread`.
    Unread,
    /// `is:starred`.
    Starred,
}

/// A scroll of the reader asked for by a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scroll {
    /// Down a screen (Space, Page Down).
    PageDown,
    /// Up a screen (Shift+Space, Page Up).
    PageUp,
    /// To the top (Home).
    Top,
    /// To the end (End).
    Bottom,
}

/// A page of the Help menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelpPage {
    /// Every keyboard shortcut.
    Shortcuts,
    /// The search box's query language.
    SearchSyntax,
    /// The version, the library file, the licences.
    About,
}
