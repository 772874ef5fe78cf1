//! Background work for the GUI: a worker thread owns the library connection,
//! takes [`Command`]s and answers with [`Event`]s, waking the GUI with
//! `request_repaint`. Imports run on a thread of their own (with their own
//! connection) so the list, the reader and the tags stay usable meanwhile.
//! Images are decoded here, never on the GUI thread. Events carry data, not
//! words: the window says what happened in its own text.
//!
//! Every long task (import, export, merge, image fetch) gets a fresh
//! [`CancelToken`] when its command is sent; [`Worker::cancel`] stops only the
//! latest task of that kind, never another one running beside it.
//!
//! The table of contents, from the bottom up: `protocol` (commands, events,
//! tasks: what the window and the worker say to each other), `images`
//! (decoding), `record` (what undoing a change takes, read before it is
//! made), `worker` (the handle and the `folio-worker` loop), `tasks` (the
//! threads of the long tasks).

mod images;
mod protocol;
mod record;
mod tasks;
mod worker;

pub use images::{MAX_TEXTURE_EDGE, decode_image};
pub use protocol::{
    CancelToken, CollectionChange, Command, Event, Failure, FetchFailure, ListRow, NotFetched,
    Outcome, PAGE_ROWS, Step, Task,
};
pub use tasks::TaskError;
pub use worker::{DATA_VERSION_POLL, Worker};
