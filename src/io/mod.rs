//! Input and output around the engine: encoding detection and decoding
//! ([`decode`](mod@decode), streamed by [`stream`]), writing back in the input's encoding, atomic writes
//! ([`write`](mod@write)), expanding paths into inputs ([`walk`]), and
//! bytes spooled to a temporary file past a limit ([`spool`]). No printing: the
//! command line turns the errors and notices into messages.

pub mod decode;
pub mod paths;
pub mod spool;
pub mod stream;
pub mod walk;
pub mod write;

pub use decode::{decode, open, open_as, Body, DecodeError, Opened, TextEncoding};
pub use spool::Spool;
pub use walk::{collect, Filter, InputPath};
pub use write::{sweep_temps, write_atomic, AtomicFile, WriteError};
