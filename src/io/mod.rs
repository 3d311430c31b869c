//! Input and output around the engine: encoding detection and decoding
//! ([`decode`](mod@decode), streamed by [`stream`]), writing back in the input's encoding, atomic writes
//! ([`write`](mod@write)) and expanding paths into inputs ([`walk`]). No printing: the
//! command line turns the errors and notices into messages.

pub mod decode;
pub mod paths;
pub mod stream;
pub mod walk;
pub mod write;

pub use decode::{decode, open, open_as, Body, DecodeError, Opened, TextEncoding};
pub use walk::{collect, Filter, InputPath};
pub use write::{sweep_temps, write_atomic, AtomicFile, WriteError};
