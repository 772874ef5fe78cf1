//! The system browser the window opens links in. egui leaves a link to the
//! platform as an `OpenUrl` command, and a platform that cannot start a
//! browser only logs it; the window opens links itself instead, on a thread
//! of its own, and hears back when it failed (issue 27: a click on a link
//! did nothing visible). Given to the app ([`crate::app::FolioApp::with_browser`])
//! like the clock, so a test gives it one that fails; without one, links
//! stay egui's commands (what a headless test sees).

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

/// Opens a web address, or says why it could not.
pub type OpenLink = dyn Fn(&str) -> Result<(), String> + Send + Sync;

/// Links opened on threads of their own, their failures coming back.
pub struct Browser {
    /// How a link is opened.
    open: Arc<OpenLink>,
    /// Where failures are sent: (address, why).
    failed_tx: Sender<(String, String)>,
    failed: Receiver<(String, String)>,
}

impl Browser {
    /// A browser that opens links with `open`.
    pub fn new(open: Arc<OpenLink>) -> Self {
        let (failed_tx, failed) = channel();
        Self {
            open,
            failed_tx,
            failed,
        }
    }

    /// The system's browser.
    pub fn system() -> Self {
        Self::new(Arc::new(|url: &str| {
            webbrowser::open(url).map_err(|err| err.to_string())
        }))
    }

    /// Take the links this frame asked egui to open and open them here
    /// (a browser may take a moment to start: never on the GUI thread).
    pub fn take_links(&self, ctx: &egui::Context) {
        let mut urls = Vec::new();
        ctx.output_mut(|o| {
            o.commands.retain(|command| match command {
                egui::OutputCommand::OpenUrl(open) => {
                    urls.push(open.url.clone());
                    false
                }
                _ => true,
            });
        });
        for url in urls {
            let address = url.clone();
            let open = Arc::clone(&self.open);
            let failed = self.failed_tx.clone();
            let ctx = ctx.clone();
            let spawned = std::thread::Builder::new()
                .name("folio-browser".to_owned())
                .spawn(move || {
                    if let Err(why) = open(&url) {
                        log::warn!("cannot open {url}: {why}");
                        // The window has gone away when this fails.
                        let _ = failed.send((url, why));
                        ctx.request_repaint();
                    }
                });
            if let Err(err) = spawned {
                let _ = self.failed_tx.send((address, err.to_string()));
            }
        }
    }

    /// The links that could not be opened since the last call: (address, why).
    pub fn failures(&self) -> Vec<(String, String)> {
        self.failed.try_iter().collect()
    }
}
