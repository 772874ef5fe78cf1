//! One allowance for everything read out of one archive file: decompressed
//! bytes counted as they are inflated, a time budget, and Cancel, checked
//! on every read (so a zip whose entries all alias one huge gzip member
//! inflates it once within the allowance, not once per entry).

use std::cell::Cell;
use std::io::Read;
use std::time::{Duration, Instant};

/// Why reading an archive stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// More bytes were inflated than the archive's allowance.
    Allowance(u64),
    /// Reading took longer than the archive's time budget.
    Time(Duration),
    /// The user cancelled.
    Cancelled,
}

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Allowance(bytes) => write!(
                f,
                "it inflates to more than {} MiB, the limit for one archive",
                bytes / (1024 * 1024)
            ),
            Self::Time(budget) => write!(
                f,
                "reading it took longer than {} s, the limit for one archive",
                budget.as_secs()
            ),
            Self::Cancelled => write!(f, "the import was cancelled"),
        }
    }
}

/// The allowance of one archive being read (one thread).
pub struct Meter<'c> {
    allowance: u64,
    left: Cell<u64>,
    started: Instant,
    budget: Duration,
    cancelled: &'c dyn Fn() -> bool,
    stopped: Cell<Option<Stopped>>,
}

impl<'c> Meter<'c> {
    /// An allowance of `allowance` bytes and `budget` of time, stopped early
    /// when `cancelled` says so.
    pub fn new(allowance: u64, budget: Duration, cancelled: &'c dyn Fn() -> bool) -> Self {
        Self {
            allowance,
            left: Cell::new(allowance),
            started: Instant::now(),
            budget,
            cancelled,
            stopped: Cell::new(None),
        }
    }

    /// Why reading must stop, if it must (remembered once it is so).
    pub fn stopped(&self) -> Option<Stopped> {
        if self.stopped.get().is_none() {
            let reason = if self.left.get() == 0 {
                Some(Stopped::Allowance(self.allowance))
            } else if (self.cancelled)() {
                Some(Stopped::Cancelled)
            } else if self.started.elapsed() > self.budget {
                Some(Stopped::Time(self.budget))
            } else {
                None
            };
            self.stopped.set(reason);
        }
        self.stopped.get()
    }

    /// Bytes of the allowance still unspent.
    pub fn left(&self) -> u64 {
        self.left.get()
    }

    fn spend(&self, bytes: usize) {
        self.left.set(self.left.get().saturating_sub(bytes as u64));
    }

    /// `inner`, its output counted against this allowance.
    pub fn wrap<'m, R: Read>(&'m self, inner: R) -> Metered<'m, R> {
        Metered { inner, meter: self }
    }
}

/// A reader whose bytes count against a [`Meter`]: once it is spent, past
/// its time or cancelled, every read fails.
pub struct Metered<'m, R> {
    inner: R,
    meter: &'m Meter<'m>,
}

impl<R: Read> Read for Metered<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(reason) = self.meter.stopped() {
            return Err(std::io::Error::other(reason.to_string()));
        }
        // Never hand out more than is left, so the allowance is exact.
        let most = buf
            .len()
            .min(usize::try_from(self.meter.left()).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buf[..most])?;
        self.meter.spend(read);
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allowance_is_shared_by_every_reader_and_stops_them_all() {
        let never = || false;
        let meter = Meter::new(10, Duration::from_secs(60), &never);
        let mut first = Vec::new();
        let _ = meter.wrap(&[1u8; 6][..]).read_to_end(&mut first);
        assert_eq!(first.len(), 6);
        let mut second = Vec::new();
        let result = meter.wrap(&[2u8; 6][..]).read_to_end(&mut second);
        assert!(result.is_err());
        assert_eq!(second.len(), 4);
        assert_eq!(meter.stopped(), Some(Stopped::Allowance(10)));
    }

    #[test]
    fn cancel_stops_the_next_read() {
        let cancelled = || true;
        let meter = Meter::new(1000, Duration::from_secs(60), &cancelled);
        let mut out = Vec::new();
        assert!(meter.wrap(&[0u8; 8][..]).read_to_end(&mut out).is_err());
        assert!(out.is_empty());
        assert_eq!(meter.stopped(), Some(Stopped::Cancelled));
    }
}
