//! The one policy for files llmcap reads and replaces.
//!
//! - Only regular files are read, and only up to a size limit: a FIFO, a device such as
//!   `/dev/zero`, or a multi-gigabyte file is refused at once with a message instead of
//!   hanging or exhausting memory.
//! - A file about to be replaced is never read whole (a conflict check reads it with the
//!   same limit); a symlink is written through to its target, keeping the target's
//!   permissions and, where allowed, its owner; a character device or a pipe with a reader
//!   is written in place, never replaced.
//! - Temporary files left by an interrupted write (a `kill -9`) are removed by the next
//!   write to the same file once they are older than [`STALE_TMP`].

use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The largest scenario, catalog or recovery file llmcap reads: real ones are a few KiB.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// How old a leftover temporary file must be before a later write removes it: no write
/// llmcap makes takes anywhere near this long, so a younger one may belong to a write in
/// progress in another process.
pub const STALE_TMP: Duration = Duration::from_secs(600);

/// Random characters in a temporary file's name (what `write_atomic` asks tempfile for).
pub const TMP_RANDOM_CHARS: usize = 6;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no such file")]
    NotFound,
    #[error("is a directory")]
    IsDirectory,
    #[error("is {0}, not a regular file; llmcap reads only regular files")]
    NotRegular(&'static str),
    #[error("is {size} bytes, more than the {limit} bytes llmcap reads from one file")]
    TooLarge { size: u64, limit: u64 },
    #[error("cannot read the file: {0}")]
    Io(io::Error),
}

/// What kind of file a non-regular file is, in words.
fn kind_of(m: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if m.is_dir() { "a directory" } else { "a special file" }
}

/// Reads a regular file of at most `limit` bytes. Looks at the file's type before opening
/// it (opening a FIFO would wait for a writer) and again on the open file.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    check_regular(&meta, limit)?;
    let file = File::open(path).map_err(ReadError::Io)?;
    // The path may have been swapped between the two looks; the open file is what counts.
    let meta = file.metadata().map_err(ReadError::Io)?;
    check_regular(&meta, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).min(1 << 20));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn check_regular(meta: &Metadata, limit: u64) -> Result<(), ReadError> {
    if meta.is_dir() {
        return Err(ReadError::IsDirectory);
    }
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    Ok(())
}

/// Where a write to `path` really goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A regular file (or none yet) at this path, after following symlinks: replaced
    /// atomically.
    File(PathBuf),
    /// A character device or a pipe: written in place, never replaced.
    Stream(PathBuf),
}

/// Resolves where a write to `path` goes, refusing what cannot be written safely.
pub fn write_target(path: &Path) -> io::Result<Target> {
    // A stream is written where the path leads, links followed by the kernel: `/dev/stdout`
    // is a link to `/proc/self/fd/1`, whose target (`pipe:[1234]`) is no path at all.
    #[cfg(unix)]
    if let Ok(m) = fs::metadata(path) {
        use std::os::unix::fs::FileTypeExt;
        if m.file_type().is_char_device() || m.file_type().is_fifo() {
            return Ok(Target::Stream(path.to_path_buf()));
        }
    }
    let real = resolve_links(path)?;
    match fs::metadata(&real) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Target::File(real)),
        Err(e) => Err(e),
        Ok(m) if m.is_file() => Ok(Target::File(real)),
        Ok(m) if m.is_dir() => Err(io::Error::new(io::ErrorKind::IsADirectory, "it is a directory")),
        Ok(m) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::FileTypeExt;
                let t = m.file_type();
                if t.is_char_device() || t.is_fifo() {
                    return Ok(Target::Stream(real));
                }
            }
            Err(io::Error::other(format!(
                "it is {}; llmcap writes regular files, character devices and pipes (use -o - for standard output)",
                kind_of(&m)
            )))
        }
    }
}

/// Follows symlinks (up to 40, as the kernel does), including a dangling last link whose
/// target does not exist yet, so a save through a link writes the file it points to.
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Opens a character device or pipe for writing. A pipe with no reader is refused at once
/// (an open would otherwise wait for one).
pub fn open_stream(path: &Path) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
        if fs::metadata(path)?.file_type().is_fifo() {
            // Probe without blocking: ENXIO when nobody reads the pipe.
            match fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(path)
            {
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
                    return Err(io::Error::other("it is a named pipe that no process is reading"));
                }
                Err(e) => return Err(e),
            }
        }
    }
    fs::OpenOptions::new().write(true).open(path)
}

/// Removes temporary files left by interrupted writes of llmcap's own: named exactly
/// `.{file_name}.XXXXXX.tmp` with six random letters or digits, as the writes name them,
/// and older than [`STALE_TMP`]. A file a person named otherwise is never touched. Errors
/// are ignored: this is housekeeping.
pub fn remove_stale_temporaries(dir: &Path, file_name: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let prefix = format!(".{file_name}.");
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let random = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .filter(|r| r.len() == TMP_RANDOM_CHARS && r.chars().all(|c| c.is_ascii_alphanumeric()));
        if random.is_none() {
            continue;
        }
        let old = e
            .metadata()
            .ok()
            .filter(fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TMP);
        if old {
            let _ = fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_within_the_limit_only() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.ron");
        fs::write(&f, b"0123456789").unwrap();
        assert_eq!(read_limited(&f, 10).ok(), Some(b"0123456789".to_vec()));
        assert!(matches!(
            read_limited(&f, 9),
            Err(ReadError::TooLarge { size: 10, limit: 9 })
        ));
        assert!(matches!(read_limited(dir.path(), 9), Err(ReadError::IsDirectory)));
        assert!(matches!(
            read_limited(&dir.path().join("none"), 9),
            Err(ReadError::NotFound)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_devices_and_pipes_without_waiting() {
        assert!(matches!(
            read_limited(Path::new("/dev/zero"), 100),
            Err(ReadError::NotRegular("a character device"))
        ));
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f.ron");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(read_limited(&fifo, 100), Err(ReadError::NotRegular(_))));
            assert_eq!(write_target(&fifo).ok(), Some(Target::Stream(fifo.clone())));
            let e = open_stream(&fifo).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(e.contains("no process is reading"), "{e}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn writes_go_through_symlinks_even_dangling_ones() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.ron");
        let link = dir.path().join("link.ron");
        std::os::unix::fs::symlink("real.ron", &link).unwrap();
        assert_eq!(write_target(&link).ok(), Some(Target::File(real.clone())));
        fs::write(&real, b"x").unwrap();
        assert_eq!(write_target(&link).ok(), Some(Target::File(real)));
        let a = dir.path().join("loop-a");
        let b = dir.path().join("loop-b");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        assert!(write_target(&a).is_err());
    }
}
