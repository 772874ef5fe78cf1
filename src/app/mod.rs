//! The eframe app: state, the commands UI functions return, and the frame loop.
//!
//! The GUI thread never runs SQL or reads files: it sends [`jobs::Command`]s to
//! the worker and shows the [`jobs::Event`]s it gets back. UI functions
//! (`*_ui`) draw from the state and return [`Action`]s, applied at the end of
//! the frame.

mod export_ui;
mod fonts;
mod import_ui;
mod inspector_ui;
mod library_ui;
mod reader_ui;
pub mod samples;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::jobs::{Command, Event, PAGE_ROWS, Worker};
use crate::library::{ArticleId, ArticleSummary, ImportReport, Sort, StoredArticle, TagCount};

/// How long the search box waits after the last keystroke.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);
/// How long the note editor waits after the last keystroke before saving.
const NOTE_SAVE_DELAY: Duration = Duration::from_millis(800);
/// Most decoded images kept as textures (reader images and thumbnails).
const MAX_TEXTURES: usize = 256;

/// Where to open the window and with what.
#[derive(Clone, Debug)]
pub struct Options {
    /// The library file.
    pub library: PathBuf,
    /// Import the bundled samples when the library is empty, and open the seed.
    pub sample: bool,
    /// No network request at all (`--offline`): fetching images is refused.
    pub offline: bool,
}

/// Open the window on a library (the user's, or the sample library).
pub fn run_gui(
    library: Option<PathBuf>,
    sample: bool,
    offline: bool,
    window_size: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let size = match window_size {
        Some(text) => {
            let (w, h) = text
                .split_once('x')
                .and_then(|(w, h)| {
                    Some((w.trim().parse::<f32>().ok()?, h.trim().parse::<f32>().ok()?))
                })
                .ok_or_else(|| {
                    anyhow::anyhow!("--window-size wants WIDTHxHEIGHT, e.g. 1280x800")
                })?;
            [w, h]
        }
        None => [1280.0, 800.0],
    };
    let path = match (library, sample) {
        (Some(path), _) => path,
        (None, true) => samples::sample_library(),
        (None, false) => samples::default_library(),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let options = Options {
        library: path,
        sample,
        offline,
    };
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Folio")
            .with_inner_size(size)
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Folio",
        native,
        Box::new(move |cc| Ok(Box::new(FolioApp::new(cc, options)?))),
    )
    .map_err(|err| anyhow::anyhow!("cannot open the window: {err}"))?;
    Ok(ExitCode::SUCCESS)
}

/// The state that we persist between runs.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Persisted {
    /// Reader text size in points.
    pub text_size: f32,
    /// List order.
    pub sort: Sort,
    /// The article open when the window closed.
    pub last_article: Option<i64>,
}

impl Default for Persisted {
    fn default() -> Self {
        Self {
            text_size: 17.0,
            sort: Sort::Date,
            last_article: None,
        }
    }
}

/// What a UI function asks for; applied at the end of the frame.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub enum Action {
    /// Open an article in the reader.
    Select(ArticleId),
    /// Move the selection by this many rows.
    MoveSelection(isize),
    /// Toggle a tag in the filter (`exclude` for the negated filter).
    ToggleTagFilter {
        /// The tag.
        name: String,
        /// Exclude instead of include.
        exclude: bool,
    },
    /// Change the list order.
    SetSort(Sort),
    /// Send a command to the worker.
    Worker(WorkerAction),
    /// Start an import of these paths.
    Import(Vec<PathBuf>),
    /// Open the system file dialog for files (`false`) or a folder (`true`).
    PickFiles {
        /// Pick a folder instead of files.
        folder: bool,
    },
    /// Trash the open article (with undo).
    TrashOpen,
    /// Undo the last trash.
    UndoTrash,
    /// Change the reader's text size by this many points.
    TextSize(f32),
    /// Import the bundled sample articles.
    LoadSamples,
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
        scope: export_ui::Scope,
        /// Where to.
        out: PathBuf,
        /// Replace an existing target.
        overwrite: bool,
    },
    /// Switch the window to another library file.
    OpenLibrary(PathBuf),
    /// Merge another library file into this one.
    MergeLibrary(PathBuf),
}

/// Commands for the worker, as UI functions request them.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerAction {
    /// Add a tag to an article.
    AddTag(ArticleId, String),
    /// Remove a tag from an article.
    RemoveTag(ArticleId, String),
    /// Rename a tag.
    RenameTag(String, String),
    /// Delete a tag.
    DeleteTag(String),
    /// Set a tag's colour.
    SetTagColour(String, Option<String>),
    /// Open the in-app "import from path" field.
    OpenPathDialog,
}

/// One row of the list, as fetched.
#[derive(Clone, Debug)]
pub struct Row {
    /// The article.
    pub summary: ArticleSummary,
    /// Search snippet, when the list is a search.
    pub snippet: Option<String>,
}

/// The article list: which query, how many rows, which pages are here.
#[derive(Default)]
pub struct ListState {
    /// Bumped for every new query; stale answers are dropped.
    pub generation: u64,
    /// The query the list shows (search words plus tag filters).
    pub query: String,
    /// Total matching rows, once counted.
    pub total: Option<usize>,
    /// Pages fetched so far.
    pub pages: HashMap<usize, Vec<Row>>,
    /// Pages asked for and not yet here.
    pub requested: HashSet<usize>,
}

impl ListState {
    /// The row at `index`, if its page is here.
    pub fn row(&self, index: usize) -> Option<&Row> {
        self.pages.get(&(index / PAGE_ROWS))?.get(index % PAGE_ROWS)
    }

    /// Where article `id` stands in the list, if its page is here (pages
    /// arrive as the list scrolls, so they need not be contiguous).
    pub fn index_of(&self, id: ArticleId) -> Option<usize> {
        self.pages.iter().find_map(|(page, rows)| {
            let i = rows.iter().position(|r| r.summary.id == id)?;
            Some(page * PAGE_ROWS + i)
        })
    }
}

/// The note editor's buffer.
#[derive(Default)]
pub struct NoteState {
    /// The article the buffer belongs to.
    pub article: Option<ArticleId>,
    /// The text being edited.
    pub text: String,
    /// Set when the text changed and is not saved yet.
    pub dirty_since: Option<Instant>,
    /// Show the rendered Markdown instead of the editor.
    pub preview: bool,
    /// The last save the worker confirmed.
    pub saved: bool,
}

/// Import progress and its last report.
#[derive(Default)]
pub struct ImportState {
    /// An import is running.
    pub running: bool,
    /// Files done.
    pub done: usize,
    /// Files in all.
    pub total: usize,
    /// The last finished import's report (shown in a window until closed).
    pub report: Option<ImportReport>,
    /// The in-app "import from path" field is open.
    pub path_dialog: bool,
    /// Text of the in-app path field.
    pub path_input: String,
    /// Explains why the path field was opened (no file dialog available).
    pub path_dialog_reason: Option<String>,
    /// A file dialog is open on another thread.
    pub picking: Option<std::sync::mpsc::Receiver<PickResult>>,
    /// Open the sample article when this import is done.
    pub open_featured_after: bool,
}

/// What a file dialog thread reports.
pub enum PickResult {
    /// The user chose these paths.
    Picked(Vec<PathBuf>),
    /// The user cancelled.
    Cancelled,
    /// No dialog could be shown.
    Unavailable(String),
}

/// Decoded images as textures, bounded in number.
#[derive(Default)]
pub struct TextureCache {
    textures: HashMap<(String, bool), Option<egui::TextureHandle>>,
    order: Vec<(String, bool)>,
    requested: HashSet<(String, bool)>,
}

impl TextureCache {
    /// The texture for an image, asking the worker to decode it when missing.
    /// `Some(None)` means the image could not be decoded.
    pub fn get(
        &mut self,
        worker: &Worker,
        sha256: &str,
        thumbnail: bool,
    ) -> Option<Option<&egui::TextureHandle>> {
        let key = (sha256.to_owned(), thumbnail);
        if !self.textures.contains_key(&key) {
            if self.requested.insert(key.clone()) {
                worker.send(Command::LoadImage {
                    sha256: sha256.to_owned(),
                    thumbnail,
                });
            }
            return None;
        }
        self.textures.get(&key).map(Option::as_ref)
    }

    fn insert(
        &mut self,
        ctx: &egui::Context,
        sha256: String,
        thumbnail: bool,
        image: Option<Arc<egui::ColorImage>>,
    ) {
        let key = (sha256, thumbnail);
        self.requested.remove(&key);
        let texture = image.map(|image| {
            ctx.load_texture(
                format!("{}-{}", key.0, if thumbnail { "thumb" } else { "full" }),
                egui::ImageData::Color(image),
                egui::TextureOptions::LINEAR,
            )
        });
        self.textures.insert(key.clone(), texture);
        self.order.push(key);
        while self.order.len() > MAX_TEXTURES {
            let old = self.order.remove(0);
            self.textures.remove(&old);
        }
    }
}

/// The whole GUI.
pub struct FolioApp {
    worker: Worker,
    library_path: PathBuf,
    offline: bool,
    persisted: Persisted,
    search: String,
    search_changed: Option<Instant>,
    include_tags: BTreeSet<String>,
    exclude_tags: BTreeSet<String>,
    list: ListState,
    selected: Option<ArticleId>,
    tags: Vec<TagCount>,
    article: Option<Arc<StoredArticle>>,
    textures: TextureCache,
    zoom: Option<(String, f32)>,
    tag_input: String,
    note: NoteState,
    import: ImportState,
    status: Option<String>,
    undo_trash: Option<ArticleId>,
    rename: Option<(String, String)>,
    focus_search: bool,
    focus_tag_input: bool,
    dialogs: export_ui::Dialogs,
}

const PERSIST_KEY: &str = "folio-app";

impl FolioApp {
    /// Build the app on a library, installing fonts and starting the worker.
    pub fn new(cc: &eframe::CreationContext<'_>, options: Options) -> anyhow::Result<Self> {
        fonts::install(&cc.egui_ctx);
        let persisted: Persisted = cc
            .storage
            .and_then(|s| eframe::get_value(s, PERSIST_KEY))
            .unwrap_or_default();
        let ctx = cc.egui_ctx.clone();
        let worker = Worker::start(&options.library, options.offline, move || {
            ctx.request_repaint()
        })?;
        let mut app = Self {
            worker,
            library_path: options.library.clone(),
            offline: options.offline,
            persisted,
            search: String::new(),
            search_changed: None,
            include_tags: BTreeSet::new(),
            exclude_tags: BTreeSet::new(),
            list: ListState::default(),
            selected: None,
            tags: Vec::new(),
            article: None,
            textures: TextureCache::default(),
            zoom: None,
            tag_input: String::new(),
            note: NoteState::default(),
            import: ImportState::default(),
            status: None,
            undo_trash: None,
            rename: None,
            focus_search: false,
            focus_tag_input: false,
            dialogs: export_ui::Dialogs::default(),
        };
        app.worker.send(Command::LoadTags);
        app.refresh_list();
        if let Some(id) = app.persisted.last_article {
            app.select(ArticleId(id));
        }
        if options.sample {
            app.import.open_featured_after = true;
        }
        Ok(app)
    }

    /// The query the list runs: the search box plus the tag filters.
    fn list_query(&self) -> String {
        let quote = |t: &str| {
            if t.chars().any(|c| c.is_whitespace() || c == '"') {
                format!("\"{}\"", t.replace('"', ""))
            } else {
                t.to_owned()
            }
        };
        let mut parts: Vec<String> = Vec::new();
        let search = self.search.trim();
        if !search.is_empty() {
            parts.push(search.to_owned());
        }
        parts.extend(
            self.include_tags
                .iter()
                .map(|t| format!("tag:{}", quote(t))),
        );
        parts.extend(
            self.exclude_tags
                .iter()
                .map(|t| format!("-tag:{}", quote(t))),
        );
        parts.join(" ")
    }

    fn refresh_list(&mut self) {
        let query = self.list_query();
        self.list.generation += 1;
        self.list.query = query.clone();
        self.list.total = None;
        self.list.pages.clear();
        self.list.requested.clear();
        self.worker.send(Command::Count {
            generation: self.list.generation,
            query,
        });
        self.request_page(0);
    }

    fn request_page(&mut self, page: usize) {
        if self.list.pages.contains_key(&page) || !self.list.requested.insert(page) {
            return;
        }
        self.worker.send(Command::Page {
            generation: self.list.generation,
            query: self.list.query.clone(),
            sort: self.persisted.sort,
            page,
        });
    }

    fn select(&mut self, id: ArticleId) {
        self.flush_note();
        self.selected = Some(id);
        self.persisted.last_article = Some(id.0);
        self.worker.send(Command::Open(id));
    }

    /// Save the note now if it has unsaved changes.
    fn flush_note(&mut self) {
        if let (Some(id), Some(_)) = (self.note.article, self.note.dirty_since) {
            self.worker
                .send(Command::SetNote(id, self.note.text.clone()));
            self.note.dirty_since = None;
        }
    }

    fn handle_events(&mut self, ctx: &egui::Context) {
        for event in self.worker.poll() {
            match event {
                Event::Counted { generation, total } if generation == self.list.generation => {
                    self.list.total = Some(total);
                    if total == 0
                        && self.search.is_empty()
                        && self.include_tags.is_empty()
                        && self.exclude_tags.is_empty()
                        && self.import.open_featured_after
                        && !self.import.running
                    {
                        self.apply(ctx, Action::LoadSamples);
                    } else if total > 0
                        && self.import.open_featured_after
                        && !self.import.running
                        && self.article.is_none()
                    {
                        self.open_featured();
                    }
                }
                Event::Page {
                    generation,
                    page,
                    rows,
                } if generation == self.list.generation => {
                    self.list.requested.remove(&page);
                    self.list.pages.insert(
                        page,
                        rows.into_iter()
                            .map(|(summary, snippet)| Row { summary, snippet })
                            .collect(),
                    );
                }
                Event::Counted { .. } | Event::Page { .. } => {}
                Event::Opened(article) => {
                    if Some(article.id) == self.selected || self.selected.is_none() {
                        self.selected = Some(article.id);
                        if self.note.article != Some(article.id) {
                            self.note = NoteState {
                                article: Some(article.id),
                                text: article.note.clone().unwrap_or_default(),
                                dirty_since: None,
                                preview: false,
                                saved: true,
                            };
                        }
                        self.article = Some(article);
                    }
                }
                Event::Tags(tags) => self.tags = tags,
                Event::Changed => self.refresh_list(),
                Event::NoteSaved(id) => {
                    if self.note.article == Some(id) && self.note.dirty_since.is_none() {
                        self.note.saved = true;
                    }
                }
                Event::ImportProgress { done, total } => {
                    self.import.running = true;
                    self.import.done = done;
                    self.import.total = total;
                }
                Event::ImportFailed(message) => {
                    log::warn!("{message}");
                    self.import.running = false;
                    self.status = Some(message);
                }
                Event::ImportDone(report) => {
                    self.import.running = false;
                    self.status = Some(format!(
                        "Imported {} · updated {} · duplicates {} · failed {}",
                        report.imported,
                        report.updated,
                        report.duplicates,
                        report.failed.len()
                    ));
                    if !report.failed.is_empty() || report.cancelled {
                        self.import.report = Some(report);
                    }
                    self.worker.send(Command::LoadTags);
                    if self.import.open_featured_after {
                        self.open_featured();
                    }
                }
                Event::Image {
                    sha256,
                    thumbnail,
                    image,
                } => {
                    self.textures.insert(ctx, sha256, thumbnail, image);
                }
                Event::Status(message) => self.status = Some(message),
                Event::Done(message) => {
                    self.status = Some(message);
                    self.worker.send(Command::LoadTags);
                }
                Event::ExportTargetExists(path) => {
                    if let Some(dialog) = &mut self.dialogs.export {
                        dialog.confirm_replace = Some(path);
                    } else {
                        self.status = Some(format!("{} exists already", path.display()));
                    }
                }
                Event::Error(message) => {
                    log::warn!("{message}");
                    self.status = Some(message);
                }
            }
        }
    }

    /// Show another library file: a new worker, everything else reset.
    fn switch_library(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.flush_note();
        let ctx = ctx.clone();
        match Worker::start(&path, self.offline, move || ctx.request_repaint()) {
            Ok(worker) => {
                self.worker = worker;
                self.library_path = path;
                self.list = ListState::default();
                self.article = None;
                self.selected = None;
                self.persisted.last_article = None;
                self.note = NoteState::default();
                self.tags.clear();
                self.include_tags.clear();
                self.exclude_tags.clear();
                self.textures = TextureCache::default();
                // What refers to the old library's articles, images or tags.
                self.undo_trash = None;
                self.zoom = None;
                self.rename = None;
                self.status = Some(format!("Opened {}", self.library_path.display()));
                self.worker.send(Command::LoadTags);
                self.refresh_list();
            }
            Err(err) => self.status = Some(format!("cannot open {}: {err:#}", path.display())),
        }
    }

    /// Send an import command, showing its progress from now on.
    fn start_import(&mut self, command: Command) {
        self.import.running = true;
        self.import.done = 0;
        self.import.total = 0;
        self.import.report = None;
        self.worker.send(command);
    }

    fn open_featured(&mut self) {
        self.import.open_featured_after = false;
        self.worker
            .send(Command::OpenFirst(samples::FEATURED_TITLE.to_owned()));
    }

    fn apply(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Select(id) => self.select(id),
            Action::MoveSelection(delta) => {
                let total = self.list.total.unwrap_or(0);
                if total == 0 {
                    return;
                }
                let current = self.selected.and_then(|id| self.list.index_of(id));
                let next = match current {
                    Some(i) => i.saturating_add_signed(delta).min(total - 1),
                    None => 0,
                };
                if let Some(row) = self.list.row(next) {
                    let id = row.summary.id;
                    self.select(id);
                    ctx.memory_mut(|m| m.data.insert_temp(egui::Id::unique("scroll-to-row"), next));
                } else {
                    self.request_page(next / PAGE_ROWS);
                }
            }
            Action::ToggleTagFilter { name, exclude } => {
                let (set, other) = if exclude {
                    (&mut self.exclude_tags, &mut self.include_tags)
                } else {
                    (&mut self.include_tags, &mut self.exclude_tags)
                };
                other.remove(&name);
                if !set.remove(&name) {
                    set.insert(name);
                }
                self.refresh_list();
            }
            Action::SetSort(sort) => {
                self.persisted.sort = sort;
                self.refresh_list();
            }
            Action::Worker(w) => self.worker.send(match w {
                WorkerAction::AddTag(id, name) => Command::AddTag(id, name),
                WorkerAction::RemoveTag(id, name) => Command::RemoveTag(id, name),
                WorkerAction::RenameTag(old, new) => {
                    for set in [&mut self.include_tags, &mut self.exclude_tags] {
                        if set.remove(&old) {
                            set.insert(new.clone());
                        }
                    }
                    Command::RenameTag(old, new)
                }
                WorkerAction::DeleteTag(name) => {
                    self.include_tags.remove(&name);
                    self.exclude_tags.remove(&name);
                    Command::DeleteTag(name)
                }
                WorkerAction::SetTagColour(name, colour) => Command::SetTagColour(name, colour),
                WorkerAction::OpenPathDialog => {
                    import_ui::open_path_dialog(&mut self.import, None);
                    return;
                }
            }),
            Action::Import(paths) => {
                if !paths.is_empty() {
                    self.start_import(Command::Import(paths));
                }
            }
            Action::PickFiles { folder } => import_ui::pick_files(&mut self.import, folder),
            Action::TrashOpen => {
                if let Some(id) = self.selected {
                    self.flush_note();
                    self.worker.send(Command::Trash(id));
                    self.undo_trash = Some(id);
                    self.status = Some("Moved to the trash".to_owned());
                    self.article = None;
                    self.selected = None;
                }
            }
            Action::UndoTrash => {
                if let Some(id) = self.undo_trash.take() {
                    self.worker.send(Command::Restore(id));
                    self.status = Some("Restored from the trash".to_owned());
                    self.select(id);
                }
            }
            Action::TextSize(delta) => {
                self.persisted.text_size = (self.persisted.text_size + delta).clamp(11.0, 32.0);
            }
            Action::LoadSamples => {
                self.import.open_featured_after = true;
                // Next to the library, so a test's or a portable library's
                // samples stay with it.
                let dir = self
                    .library_path
                    .parent()
                    .map_or_else(samples::data_dir, |p| p.join("folio-samples"));
                self.start_import(Command::ImportSamples(dir));
            }
            Action::ZoomImage(sha) => self.zoom = Some((sha, 1.0)),
            Action::OpenExport => {
                self.dialogs.export = Some(export_ui::ExportDialog {
                    scope: if self.include_tags.is_empty()
                        && self.exclude_tags.is_empty()
                        && self.search.trim().is_empty()
                    {
                        export_ui::Scope::All
                    } else {
                        export_ui::Scope::Listed
                    },
                    ..Default::default()
                });
            }
            Action::OpenLibraryDialog => {
                self.dialogs.open_library = Some(export_ui::PathDialog::default())
            }
            Action::MergeDialog => self.dialogs.merge = Some(export_ui::PathDialog::default()),
            Action::Export {
                format,
                scope,
                out,
                overwrite,
            } => {
                let (ids, query) = match scope {
                    export_ui::Scope::Open => {
                        (Some(self.selected.into_iter().collect()), String::new())
                    }
                    export_ui::Scope::Listed => (None, self.list_query()),
                    export_ui::Scope::All => (None, String::new()),
                };
                self.status = Some(format!("Exporting to {}…", out.display()));
                self.worker.send(Command::Export {
                    format,
                    ids,
                    query,
                    out,
                    overwrite,
                });
            }
            Action::OpenLibrary(path) => self.switch_library(ctx, path),
            Action::MergeLibrary(path) => {
                self.status = Some(format!("Importing the library {}…", path.display()));
                self.worker.send(Command::Merge(path));
            }
            Action::FetchImages(id) => {
                self.status = Some("Fetching images…".to_owned());
                self.worker.send(Command::FetchImages(id));
            }
        }
    }

    fn keyboard(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let mut actions = Vec::new();
        let typing = ctx.memory(|m| m.focused().is_some()) && ctx.egui_wants_keyboard_input();
        ctx.input_mut(|i| {
            let cmd = egui::Modifiers::COMMAND;
            if i.consume_key(cmd, egui::Key::F) {
                self.focus_search = true;
            }
            if i.consume_key(cmd, egui::Key::I) {
                actions.push(Action::PickFiles { folder: false });
            }
            if i.consume_key(cmd, egui::Key::E) {
                actions.push(Action::OpenExport);
            }
            if i.consume_key(cmd, egui::Key::T) {
                self.focus_tag_input = true;
            }
            if i.consume_key(cmd, egui::Key::Plus) || i.consume_key(cmd, egui::Key::Equals) {
                actions.push(Action::TextSize(1.0));
            }
            if i.consume_key(cmd, egui::Key::Minus) {
                actions.push(Action::TextSize(-1.0));
            }
            if i.consume_key(cmd, egui::Key::Z) && self.undo_trash.is_some() {
                actions.push(Action::UndoTrash);
            }
            if !typing {
                if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown)
                    || i.consume_key(egui::Modifiers::NONE, egui::Key::J)
                {
                    actions.push(Action::MoveSelection(1));
                }
                if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp)
                    || i.consume_key(egui::Modifiers::NONE, egui::Key::K)
                {
                    actions.push(Action::MoveSelection(-1));
                }
                if i.consume_key(egui::Modifiers::NONE, egui::Key::Delete) {
                    actions.push(Action::TrashOpen);
                }
            }
        });
        actions
    }

    fn dropped_files(ctx: &egui::Context) -> Option<Action> {
        let paths: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        (!paths.is_empty()).then_some(Action::Import(paths))
    }

    fn tick(&mut self) {
        if self
            .search_changed
            .is_some_and(|t| t.elapsed() >= SEARCH_DEBOUNCE)
        {
            self.search_changed = None;
            self.refresh_list();
        }
        if self
            .note
            .dirty_since
            .is_some_and(|t| t.elapsed() >= NOTE_SAVE_DELAY)
        {
            self.flush_note();
        }
    }
}

impl eframe::App for FolioApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.handle_events(&ctx);
        let picked = import_ui::poll_picker(&mut self.import);
        self.tick();
        let mut actions = self.keyboard(&ctx);
        actions.extend(picked.map(Action::Import));
        actions.extend(Self::dropped_files(&ctx));

        actions.extend(import_ui::menu_bar_ui(ui, &self.import));
        actions.extend(import_ui::status_bar_ui(
            ui,
            &self.import,
            self.status.as_deref(),
            self.undo_trash.is_some(),
            &self.worker,
        ));

        egui::Panel::left("library")
            .resizable(true)
            .default_size(340.0)
            .min_size(240.0)
            .show(ui, |ui| {
                actions.extend(library_ui::library_ui(ui, self));
            });
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(300.0)
            .min_size(220.0)
            .show(ui, |ui| {
                actions.extend(inspector_ui::inspector_ui(ui, self));
            });
        egui::CentralPanel::default().show(ui, |ui| {
            actions.extend(reader_ui::reader_ui(ui, self));
        });
        actions.extend(import_ui::windows_ui(&ctx, self));
        actions.extend(export_ui::dialogs_ui(
            &ctx,
            &mut self.dialogs,
            self.list.total,
            self.selected.is_some(),
        ));

        for action in actions {
            self.apply(&ctx, action);
        }
        if self.search_changed.is_some() || self.note.dirty_since.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.flush_note();
        eframe::set_value(storage, PERSIST_KEY, &self.persisted);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.flush_note();
    }

    fn auto_save_interval(&self) -> Duration {
        Duration::from_secs(5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64) -> Row {
        Row {
            summary: crate::library::ArticleSummary {
                id: ArticleId(id),
                title: format!("article {id}"),
                published: None,
                site: None,
                url: None,
                lang: None,
                tags: Vec::new(),
                source_file: String::new(),
                added_at: String::new(),
                has_note: false,
                thumbnail_sha256: None,
            },
            snippet: None,
        }
    }

    #[test]
    fn a_row_is_found_on_a_page_far_down_the_list() {
        let mut list = ListState::default();
        list.pages.insert(0, (0..3).map(row).collect());
        // Scrolled far down: page 40 is here, the ones between are not.
        list.pages.insert(40, (1000..1003).map(row).collect());
        assert_eq!(list.index_of(ArticleId(1)), Some(1));
        assert_eq!(list.index_of(ArticleId(1002)), Some(40 * PAGE_ROWS + 2));
        assert_eq!(list.index_of(ArticleId(7)), None);
    }
}
