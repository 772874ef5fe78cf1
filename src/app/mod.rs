//! The eframe app: the frame loop.
//!
//! The GUI thread never runs SQL or reads files: it sends [`jobs::Command`]s
//! to the worker and shows the [`jobs::Event`]s it gets back. Each pane has
//! its own state (`LibraryPane`, `InspectorPane`, `ReaderPane`, `ImportState`, `Dialogs`,
//! `Windows`); a `*_ui` function borrows what it shows read-only, changes
//! only its own pane's state, and returns [`Action`]s. All worker traffic —
//! list pages, images, cancelling — and every change to shared state happens
//! in `apply`, at the end of the frame.
//!
//! [`jobs::Command`]: crate::jobs::Command
//! [`jobs::Event`]: crate::jobs::Event

mod action;
mod apply;
mod browser;
mod clock;
mod compare_ui;
mod file_menu;
mod fonts;
mod highlight_ui;
mod highlights_ui;
mod import_ui;
mod input;
mod inspector_ui;
mod library_files_ui;
mod library_ui;
mod palette;
mod reader_ui;
mod selection;
mod state;
mod timeline_ui;
mod undo;
mod windows_ui;
mod words;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use action::Action;
pub use browser::OpenLink;
pub use clock::{Clock, Timers};
pub use state::Persisted;

use crate::jobs::{Command, Worker};
use crate::library::{ArticleId, Overview, StoredArticle, TagCount};
use crate::samples;
use import_ui::ImportState;
use inspector_ui::InspectorPane;
use library_files_ui::Dialogs;
use library_ui::LibraryPane;
use reader_ui::ReaderPane;
use state::{ListState, TextureCache};
use windows_ui::Windows;

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

/// How the window was asked for on the command line.
#[derive(Clone, Debug, Default)]
pub struct Launch {
    /// `--library`: the library file (default: [`samples::default_library`]).
    pub library: Option<PathBuf>,
    /// `--sample`: the sample library, built on first use.
    pub sample: bool,
    /// `--offline`: no network request at all.
    pub offline: bool,
    /// `--window-size WxH`.
    pub window_size: Option<String>,
    /// `folio FILE…`: pages to import once the window is up; the first is shown.
    pub files: Vec<PathBuf>,
}

/// The desktop entry's id (`packaging/linux/`): the window's app id, so a
/// desktop shows the installed icon and groups the window under its launcher.
pub const APP_ID: &str = "io.github.folio_archive.Folio";

/// The window's icon, drawn in `assets/icons/folio.svg` and rendered by
/// `scripts/icons.sh`.
const ICON_PNG: &[u8] = include_bytes!("../../assets/icons/folio-256.png");

/// Open the window on a library (the user's, or the sample library), and
/// import `launch.files` into it. `started` is when the process began: with
/// `RUST_LOG=folio::startup=info` the time to the first frame with rows is logged.
pub fn run_gui(launch: Launch, started: Instant) -> anyhow::Result<ExitCode> {
    let size = match launch.window_size.as_deref() {
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
    let path = match (launch.library, launch.sample) {
        (Some(path), _) => path,
        (None, true) => samples::sample_library(),
        (None, false) => samples::default_library(),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let options = Options {
        library: path,
        sample: launch.sample,
        offline: launch.offline,
    };
    let native = native_options(size, launch.window_size.is_some());
    let files = launch.files;
    eframe::run_native(
        "Folio",
        native,
        Box::new(move |cc| {
            let mut app = FolioApp::open_with(cc, options, files)?;
            app.started = Some(started);
            app.browser = Some(browser::Browser::system());
            Ok(Box::new(app))
        }),
    )
    .map_err(|err| anyhow::anyhow!("cannot open the window: {err}"))?;
    Ok(ExitCode::SUCCESS)
}

/// The window's icon as RGBA; `None` (the platform's default icon) if the
/// embedded PNG could not be decoded, which `window_icon_decodes` rules out.
fn window_icon() -> Option<egui::IconData> {
    let image = image::load_from_memory_with_format(ICON_PNG, image::ImageFormat::Png)
        .map_err(|err| log::warn!("the window icon could not be decoded: {err}"))
        .ok()?
        .into_rgba8();
    Some(egui::IconData {
        width: image.width(),
        height: image.height(),
        rgba: image.into_raw(),
    })
}

/// The window's options: `size`, and when the size was asked for
/// (`--window-size`) it wins over the size and place remembered from the last
/// run (which is then neither restored nor saved).
fn native_options(size: [f32; 2], size_given: bool) -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Folio")
        .with_app_id(APP_ID)
        .with_inner_size(size)
        .with_min_inner_size([640.0, 400.0])
        .with_drag_and_drop(true);
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(Arc::new(icon));
    }
    eframe::NativeOptions {
        viewport,
        persist_window: !size_given,
        ..Default::default()
    }
}

/// The whole GUI: the worker, what it reported, and each pane's state.
pub struct FolioApp {
    worker: Worker,
    library_path: PathBuf,
    offline: bool,
    persisted: Persisted,
    // What the worker reported; panes only read it.
    list: ListState,
    selected: Option<ArticleId>,
    /// Every tag that exists, flat (from the overview's tree).
    tags: Vec<TagCount>,
    /// The library's counts, collections and tag tree, once counted.
    overview: Option<Overview>,
    /// The list's matches by month (the timeline).
    timeline: Option<crate::library::Timeline>,
    /// The article opened last, when, and whether it was marked read (or
    /// marked by hand) since.
    opened: Option<(ArticleId, std::time::Instant, bool)>,
    /// The reading position sent to the worker last.
    saved_position: Option<(ArticleId, f64)>,
    article: Option<Arc<StoredArticle>>,
    textures: TextureCache,
    status: Option<String>,
    /// The status message as last seen, and since when (it fades).
    status_seen: Option<(String, std::time::Instant)>,
    /// The changes made in this window, to undo and redo.
    undo: undo::UndoStack,
    /// The note-editing session under way (its saves are one undo step).
    note_session: u64,
    /// The articles an export of [`action::Scope::Chosen`] writes.
    export_chosen: Vec<ArticleId>,
    /// The library's chosen citation style (its archive name).
    citation_style: String,
    /// The system's Chinese serif, when one was found (the View menu names
    /// it, or says Chinese shows in sans).
    cjk_serif: Option<String>,
    /// The trash view's rows.
    trash: state::TrashList,
    /// Live articles in the library (the status bar), once counted.
    library_total: Option<usize>,
    /// Long tasks under way besides an import (the status bar).
    tasks: Vec<state::RunningTask>,
    /// The message a failed query put in the status bar (cleared once a
    /// query runs again).
    query_status: Option<String>,
    // Each pane's own state.
    library: LibraryPane,
    inspector: InspectorPane,
    reader: ReaderPane,
    import: ImportState,
    dialogs: Dialogs,
    windows: Windows,
    highlight_editor: highlight_ui::HighlightEditor,
    /// The versions of an article (sent after it opens, when it has several).
    versions: Option<(ArticleId, Vec<crate::library::VersionInfo>)>,
    /// The version the reader shows, when it is not the copy shown by default.
    showing_version: Option<usize>,
    /// The compare window.
    compare: compare_ui::ComparePane,
    /// The highlights view's list (ids in order, pages fetched).
    highlights: state::HighlightList,
    /// The highlights view's own state.
    highlights_pane: highlights_ui::HighlightsPane,
    /// A highlight to scroll the reader to once its article is shown (a
    /// click in the highlights view opens the article first).
    pending_highlight: Option<(ArticleId, crate::library::HighlightId)>,
    /// When the process started, until the first frame with rows is logged.
    started: Option<Instant>,
    /// The time the window's timers read.
    clock: Clock,
    /// How long the window's timers wait.
    timers: Timers,
    /// Opens links and says when it could not (`None`: egui's platform
    /// opens them, unheard).
    browser: Option<browser::Browser>,
}

const PERSIST_KEY: &str = "folio-app";

impl FolioApp {
    /// Build the app on a library, installing fonts and starting the worker.
    pub fn new(cc: &eframe::CreationContext<'_>, options: Options) -> anyhow::Result<Self> {
        Self::open_with(cc, options, Vec::new())
    }

    /// Build the app as [`FolioApp::new`] does, then import `files` (`folio
    /// FILE…`) with the usual progress and report, and show the first of
    /// them once the import is done (instead of the article open last time).
    /// Another process may hold the same library open: the import takes
    /// SQLite's write lock batch by batch, as `folio import` does.
    pub fn open_with(
        cc: &eframe::CreationContext<'_>,
        options: Options,
        files: Vec<PathBuf>,
    ) -> anyhow::Result<Self> {
        let cjk_serif = fonts::install(&cc.egui_ctx).map(|found| found.name);
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
            list: ListState::default(),
            selected: None,
            tags: Vec::new(),
            overview: None,
            timeline: None,
            opened: None,
            saved_position: None,
            article: None,
            textures: TextureCache::default(),
            status: None,
            status_seen: None,
            undo: undo::UndoStack::default(),
            note_session: 1,
            export_chosen: Vec::new(),
            citation_style: crate::cite::DEFAULT_STYLE.to_owned(),
            cjk_serif,
            trash: state::TrashList::default(),
            library_total: None,
            tasks: Vec::new(),
            query_status: None,
            library: LibraryPane::default(),
            inspector: InspectorPane::default(),
            reader: ReaderPane::default(),
            import: ImportState::default(),
            dialogs: Dialogs::default(),
            windows: Windows::default(),
            highlight_editor: highlight_ui::HighlightEditor::default(),
            versions: None,
            showing_version: None,
            compare: compare_ui::ComparePane::default(),
            highlights: state::HighlightList::default(),
            highlights_pane: highlights_ui::HighlightsPane::default(),
            pending_highlight: None,
            started: None,
            clock: Clock::default(),
            timers: Timers::default(),
            browser: None,
        };
        // The first rows before the counts: at 100,000 articles counting
        // every collection takes a moment.
        app.refresh_list();
        app.worker
            .send(Command::LoadOverview(crate::library::Change::Everything));
        app.worker.send(Command::LoadCitationStyle);
        if !files.is_empty() {
            app.import.open_first_when_done();
            app.apply(&cc.egui_ctx, Action::Import(files));
        } else if let Some(id) = app.persisted.article_to_reopen(&app.library_path) {
            app.select(id);
        }
        if options.sample {
            app.import.open_featured_when_done();
        }
        Ok(app)
    }

    /// The app reading its timers on `clock` (a test keeps a clone and
    /// [skips](Clock::skip) the waits instead of sleeping through them).
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The app opening links with `open`, a failure said in the status bar
    /// (the window uses the system's browser; a test gives its own).
    #[must_use]
    pub fn with_browser(mut self, open: Arc<OpenLink>) -> Self {
        self.browser = Some(browser::Browser::new(open));
        self
    }

    /// The app waiting as long as `timers` say.
    #[must_use]
    pub fn with_timers(mut self, timers: Timers) -> Self {
        self.timers = timers;
        self
    }
}

impl eframe::App for FolioApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.handle_events(&ctx);
        let picked = import_ui::poll_picker(&mut self.import);
        self.tick(&ctx);
        let can_undo = self.undo.next_undo().is_some();
        let any_window = self.windows_open();
        let mut actions: Vec<Action> = windows_ui::escape_closes(&ctx, any_window)
            .into_iter()
            .collect();
        let in_reader = self.reader.has_focus() && self.article.is_some();
        actions.extend(input::find_keys(
            &ctx,
            self.reader.find_open(),
            in_reader,
            self.reader.has_search_matches(),
        ));
        actions.extend(library_ui::list_keys(&ctx, &mut self.library));
        actions.extend(input::keyboard(&ctx, in_reader));
        actions.extend(input::highlight_key(
            &ctx,
            self.reader.selection().is_some(),
            self.reader.focused_paragraph().is_some(),
        ));
        actions.extend(input::reader_keys(&ctx, self.article.is_some()));
        actions.extend(picked.map(Action::Import));
        actions.extend(input::dropped_files(&ctx));

        let marks = self
            .article
            .as_ref()
            .map(|a| (a.reading.read_at.is_some(), a.reading.starred));
        let steps = [self.undo.next_undo(), self.undo.next_redo()]
            .map(|step| step.map(|s| words::step(&s.done)));
        actions.extend(file_menu::menu_bar_ui(
            ui,
            self.import.is_running(),
            &self.persisted,
            marks,
            &self.citation_style,
            [steps[0].as_deref(), steps[1].as_deref()],
            self.cjk_serif.as_deref(),
        ));
        actions.extend(import_ui::status_bar_ui(
            ui,
            &self.import,
            self.status.as_deref(),
            can_undo,
            &state::StatusView {
                library: self.library_total,
                shown: self.list.total,
                selected: self.library.selected_count(),
                tasks: &self.tasks,
            },
        ));

        if self.persisted.show_library {
            egui::Panel::left("library")
                .resizable(true)
                .default_size(340.0)
                .min_size(240.0)
                .show(ui, |ui| {
                    // The last counts stay up until the new query's arrive.
                    let timeline = self.timeline.as_ref();
                    let view = library_ui::LibraryView {
                        list: &self.list,
                        tags: &self.tags,
                        overview: self.overview.as_ref(),
                        timeline,
                        selected: self.selected,
                        order: self.persisted.order,
                        textures: &self.textures,
                        trash: &self.trash,
                        now: self.clock.now(),
                        citation_style: &self.citation_style,
                    };
                    actions.extend(library_ui::library_ui(ui, &mut self.library, &view));
                    if self.library.shows_highlights() {
                        let view = highlights_ui::HighlightsView {
                            list: &self.highlights,
                            shown: self.highlight_editor.editing(),
                        };
                        actions.extend(highlights_ui::highlights_ui(
                            ui,
                            &mut self.highlights_pane,
                            &view,
                        ));
                    }
                });
        }
        // Find stepped into the note: the inspector shows it.
        if self.reader.note_scroll_pending() {
            self.persisted.show_inspector = true;
        }
        if self.persisted.show_inspector {
            let pattern = self.reader.find_pattern();
            let find = inspector_ui::NoteFind {
                pattern: pattern.as_ref(),
                current: self.reader.find_note_match(),
                scroll: self.reader.take_note_scroll(),
            };
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(300.0)
                .min_size(220.0)
                .show(ui, |ui| {
                    actions.extend(inspector_ui::inspector_ui(
                        ui,
                        &mut self.inspector,
                        self.article.as_deref(),
                        &self.tags,
                        self.reader.selection().is_some(),
                        self.clock.now(),
                        find,
                    ));
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let highlights = crate::library::highlight_terms(self.library.search());
            let view = reader_ui::ReaderView {
                article: self.article.as_deref(),
                text_size: self.persisted.text_size,
                column: self.persisted.column.factor(),
                line_height: self.persisted.line_spacing.factor(),
                note: self
                    .article
                    .as_ref()
                    .and_then(|a| self.inspector.note_text(a.id)),
                font: self.persisted.reader_font,
                highlights: &highlights,
                textures: &self.textures,
                empty_library: self.list.total == Some(0) && self.list.query.is_empty(),
                versions: self
                    .versions
                    .as_ref()
                    .filter(|(id, _)| self.article.as_ref().is_some_and(|a| a.id == *id))
                    .map(|(_, list)| reader_ui::VersionsView {
                        list,
                        showing: self.showing_version,
                    }),
            };
            actions.extend(reader_ui::reader_ui(ui, &mut self.reader, &view));
        });
        // The reader has just shown the article a highlights-view click
        // opened: now it can scroll to the passage.
        actions.extend(self.pending_highlight_shown());
        actions.extend(import_ui::import_windows_ui(&ctx, &mut self.import));
        let anchor = self
            .highlight_editor
            .editing()
            .and_then(|id| self.reader.highlight_rect(id));
        actions.extend(highlight_ui::highlight_window_ui(
            &ctx,
            &mut self.highlight_editor,
            self.article.as_deref(),
            anchor,
        ));
        actions.extend(compare_ui::compare_window_ui(&ctx, &mut self.compare));
        actions.extend(windows_ui::windows_ui(
            &ctx,
            &mut self.windows,
            &self.textures,
            &self.library_path,
        ));
        actions.extend(library_files_ui::dialogs_ui(
            &ctx,
            &mut self.dialogs,
            self.list.total,
            self.selected.is_some(),
        ));
        // Images the panes looked for and did not find.
        actions.extend(
            self.textures
                .take_missing()
                .into_iter()
                .map(|(sha256, thumbnail)| Action::LoadImage { sha256, thumbnail }),
        );

        for action in actions {
            self.apply(&ctx, action);
        }
        if let Some(browser) = &self.browser {
            browser.take_links(&ctx);
        }
        if self.list.row(0).is_some()
            && let Some(started) = self.started.take()
        {
            log::info!(target: "folio::startup",
                "first frame with rows: {:.0} ms after start",
                started.elapsed().as_secs_f64() * 1000.0);
        }
        if self.library.is_typing() || self.inspector.is_typing() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.flush_typed();
        self.save_position();
        eframe::set_value(storage, PERSIST_KEY, &self.persisted);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.flush_typed();
        self.save_position();
    }

    fn auto_save_interval(&self) -> Duration {
        Duration::from_secs(5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_size_wins_over_the_remembered_size() {
        let given = native_options([900.0, 600.0], true);
        assert!(
            !given.persist_window,
            "a remembered size would override --window-size"
        );
        assert_eq!(given.viewport.inner_size, Some(egui::vec2(900.0, 600.0)));
        assert!(native_options([1280.0, 800.0], false).persist_window);
    }

    #[test]
    fn window_icon_decodes() {
        let icon = window_icon().expect("the embedded icon is a PNG");
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        let given = native_options([900.0, 600.0], true);
        assert!(given.viewport.icon.is_some(), "the window has Folio's icon");
        assert_eq!(given.viewport.app_id.as_deref(), Some(APP_ID));
    }
}
