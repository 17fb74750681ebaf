//! The scan cache.
