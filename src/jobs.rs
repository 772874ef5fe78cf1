//! Background work for the GUI (filled in with the app).
