//! The window's timers and the clock they read: how long an article stays
//! open before it counts as read, how long typing pauses before the list
//! runs the search or the note is saved. Both are given to the app
//! ([`crate::app::FolioApp::with_clock`], [`crate::app::FolioApp::with_timers`]),
//! so a test skips a wait instead of sleeping through it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long each of the window's waits lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timers {
    /// How long an article stays open before it counts as read.
    pub read_after: Duration,
    /// How long the search box waits after the last keystroke.
    pub search_pause: Duration,
    /// How long the note editor waits after the last keystroke before saving.
    pub note_pause: Duration,
    /// How long a status-bar message stays once nothing replaces it (it
    /// stays while a task is under way).
    pub status_fade: Duration,
}

impl Default for Timers {
    fn default() -> Self {
        Self {
            read_after: Duration::from_secs(3),
            search_pause: Duration::from_millis(250),
            note_pause: Duration::from_millis(800),
            status_fade: Duration::from_secs(12),
        }
    }
}

/// The time the window's timers read: the system's monotonic clock plus
/// whatever was [skipped](Clock::skip). Clones share the skipped time, so a
/// test keeps one and moves the window's time on.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// Nanoseconds skipped so far.
    skipped_ns: Arc<AtomicU64>,
}

impl Clock {
    /// Now, on this clock.
    pub fn now(&self) -> Instant {
        Instant::now() + Duration::from_nanos(self.skipped_ns.load(Ordering::SeqCst))
    }

    /// Move this clock (and every clone of it) `by` into the future.
    pub fn skip(&self, by: Duration) {
        let ns = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        self.skipped_ns.fetch_add(ns, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skip_moves_every_clone_on() {
        let clock = Clock::default();
        let other = clock.clone();
        let before = other.now();
        clock.skip(Duration::from_secs(60));
        assert!(other.now().duration_since(before) >= Duration::from_secs(60));
    }
}
