//! The library: one SQLite file (being built).
