//! Atomic writes: a temporary file in the target's directory, renamed over
//! the target once everything was written and flushed. A failure at any
//! point (full disk, permissions, a directory in the way) leaves the target
//! as it was and removes the temporary file. After the rename the
//! directory is synced too, so the new entry survives a power cut.
//!
//! [`AtomicFile::commit_checked`] runs a last check right before the rename
//! (the optimistic concurrency check of `--write`: has the file changed
//! since it was read?). A small window remains between that check and the
//! rename; an editor saving exactly then still loses to zhclean.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// Why a write failed. The target is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The target path is a directory.
    #[error("{0}: is a directory, not written")]
    IsDirectory(PathBuf),
    /// The target file is read-only; zhclean does not override that.
    #[error("{0}: file is read-only, not modified")]
    ReadOnly(PathBuf),
    /// The target changed since it was read (another program saved it, or
    /// another run rewrote it): not replaced, so that change is kept.
    #[error("{path}: changed while zhclean was processing it ({what}); not written, run again")]
    Changed {
        /// The target.
        path: PathBuf,
        /// What differs (size, modification time, file identity, content).
        what: String,
    },
    /// An I/O error while creating, writing or renaming.
    #[error("{path}: write failed: {source}")]
    Io {
        /// The target.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// A file being written atomically. Write to it, then [`AtomicFile::commit`];
/// dropping it without committing discards everything.
#[derive(Debug)]
pub struct AtomicFile {
    tmp: NamedTempFile,
    target: PathBuf,
    perms: Option<fs::Permissions>,
    owner: Option<(u32, u32)>,
}

impl AtomicFile {
    /// Start writing `target`. Fails early if the target is a directory or
    /// a read-only file, or if the temporary file cannot be created.
    ///
    /// Permissions: an existing target's permissions (and, on Unix, its
    /// owner and group when the process may set them) are kept; a new file
    /// gets mode 0644 on Unix. The rename replaces the directory entry, so
    /// other hard links keep the old content (as with `sed -i`).
    pub fn create(target: &Path) -> Result<AtomicFile, WriteError> {
        let (perms, owner) = match fs::metadata(target) {
            Ok(m) if m.is_dir() => return Err(WriteError::IsDirectory(target.to_path_buf())),
            Ok(m) if m.permissions().readonly() => {
                return Err(WriteError::ReadOnly(target.to_path_buf()))
            }
            Ok(m) => (Some(m.permissions()), owner_of(&m)),
            Err(_) => (new_file_permissions(), None),
        };
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".zhclean-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|source| WriteError::Io {
                path: target.to_path_buf(),
                source,
            })?;
        Ok(AtomicFile {
            tmp,
            target: target.to_path_buf(),
            perms,
            owner,
        })
    }

    /// The file this will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flush, sync, set permissions and rename over the target.
    pub fn commit(self) -> Result<(), WriteError> {
        self.commit_checked(|| Ok(()))
    }

    /// [`AtomicFile::commit`], calling `check` after everything is written
    /// and synced, right before the rename; an error from it leaves the
    /// target untouched (the temporary file is removed).
    pub fn commit_checked(
        mut self,
        check: impl FnOnce() -> Result<(), WriteError>,
    ) -> Result<(), WriteError> {
        let target = self.target.clone();
        let err = |source: io::Error| WriteError::Io {
            path: target.clone(),
            source,
        };
        self.tmp.flush().map_err(err)?;
        self.tmp.as_file().sync_all().map_err(err)?;
        if let Some(p) = self.perms.take() {
            self.tmp.as_file().set_permissions(p).map_err(err)?;
        }
        if let Some(o) = self.owner {
            // Best effort: only a privileged process may give files away.
            set_owner(self.tmp.path(), o);
        }
        check()?;
        self.tmp.persist(&self.target).map_err(|e| err(e.error))?;
        sync_dir(&self.target).map_err(err)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.tmp.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

/// Sync the directory holding `target`, so a rename in it is durable.
#[cfg(unix)]
fn sync_dir(target: &Path) -> io::Result<()> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_: &Path) -> io::Result<()> {
    Ok(())
}

/// True for the name of a temporary file of [`AtomicFile`]
/// (`.zhclean-*.tmp`).
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(".zhclean-") && name.ends_with(".tmp")
}

/// Remove the temporary files (`.zhclean-*.tmp`) a killed run left in
/// `dir` (not in its subdirectories); returns how many were removed.
/// A run still writing in the same directory at that moment fails its
/// rename with an error, its target unchanged.
pub fn sweep_temps(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let is_file = e.file_type().is_ok_and(|t| t.is_file());
        if is_file
            && is_temp_name(&e.file_name().to_string_lossy())
            && fs::remove_file(e.path()).is_ok()
        {
            n += 1;
        }
    }
    n
}

#[cfg(unix)]
fn owner_of(m: &fs::Metadata) -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.uid(), m.gid()))
}

#[cfg(not(unix))]
fn owner_of(_: &fs::Metadata) -> Option<(u32, u32)> {
    None
}

#[cfg(unix)]
fn set_owner(path: &Path, (uid, gid): (u32, u32)) {
    let _ = std::os::unix::fs::chown(path, Some(uid), Some(gid));
}

#[cfg(not(unix))]
fn set_owner(_: &Path, _: (u32, u32)) {}

#[cfg(unix)]
fn new_file_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<fs::Permissions> {
    None
}

/// Write `bytes` to `target` atomically.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let mut f = AtomicFile::create(target)?;
    f.write_all(bytes).map_err(|source| WriteError::Io {
        path: target.to_path_buf(),
        source,
    })?;
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&p, "新".as_bytes()).unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "新");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        // Only the target is left in the directory.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn failures_leave_target_intact() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        assert!(matches!(
            write_atomic(&sub, b"x"),
            Err(WriteError::IsDirectory(_))
        ));
        let ro = dir.path().join("ro.txt");
        fs::write(&ro, "keep").unwrap();
        let mut perms = fs::metadata(&ro).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&ro, perms).unwrap();
        assert!(matches!(
            write_atomic(&ro, b"x"),
            Err(WriteError::ReadOnly(_))
        ));
        assert_eq!(fs::read_to_string(&ro).unwrap(), "keep");
        // No directory to write into.
        let missing = dir.path().join("nope").join("a.txt");
        assert!(matches!(
            write_atomic(&missing, b"x"),
            Err(WriteError::Io { .. })
        ));
    }

    #[test]
    fn dropped_without_commit_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        fs::write(&p, "old").unwrap();
        {
            let mut f = AtomicFile::create(&p).unwrap();
            f.write_all(b"partial").unwrap();
        }
        assert_eq!(fs::read_to_string(&p).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
