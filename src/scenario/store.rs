//! Reading scenario files (with errors that point into the file) and writing them safely
//! (atomic replace, never over a file that changed on disk since it was read).

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::locate::{locate_field, path_at};
use super::validate::{Issue, validate_with_catalog};
use super::{FORMAT_VERSION, Scenario};
use crate::catalog::Catalog;
use crate::fsio::{ReadError, Target};

/// Where an error points: 1-based line and column.
pub type Pos = (usize, usize);

/// Why a scenario could not be loaded. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read the file: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}: no such file")]
    NotFound { path: String },
    #[error("{path}: is a directory; expected a scenario file (.ron)")]
    IsDirectory { path: String },
    #[error("{path}: {why}; expected a scenario file (.ron)")]
    NotReadable { path: String, why: String },
    #[error("{path}: is not a text file (byte {offset} is not UTF-8); a scenario is a RON text file")]
    NotText { path: String, offset: usize },
    #[error("{path}: is not a text file (byte {offset} is a NUL character); a scenario is a RON text file")]
    Nul { path: String, offset: usize },
    #[error(
        "{path}: is empty; expected `Scenario(version: 1, ...)`; scenarios/support-chatbot.ron is a complete example"
    )]
    Empty { path: String },
    #[error("{}", fmt_parse(path, *pos, field.as_deref(), message, hint.as_deref()))]
    Parse {
        path: String,
        pos: Pos,
        field: Option<String>,
        message: String,
        hint: Option<String>,
    },
    #[error("{path}:{}:{}: {message}", pos.0, pos.1)]
    Version { path: String, pos: Pos, message: String },
    #[error("{}", fmt_invalid(path, issues, *more))]
    Invalid {
        path: String,
        /// The first `MAX_ISSUES` (50) problems, each with where it stands in the file.
        issues: Vec<(Issue, Option<Pos>)>,
        /// How many more problems there are beyond those.
        more: usize,
    },
}

fn fmt_parse(path: &str, pos: Pos, field: Option<&str>, message: &str, hint: Option<&str>) -> String {
    let mut out = format!("{path}:{}:{}: ", pos.0, pos.1);
    if let Some(f) = field {
        out.push_str(&format!("field `{f}`: "));
    }
    out.push_str(message);
    if let Some(h) = hint {
        out.push_str("; hint: ");
        out.push_str(h);
    }
    out
}

/// How many problems of one file are listed; a file with thousands (a generated list of
/// unknown ids) gets the first ones and a count.
pub const MAX_ISSUES: usize = 50;

fn fmt_invalid(path: &str, issues: &[(Issue, Option<Pos>)], more: usize) -> String {
    let mut lines: Vec<String> = issues
        .iter()
        .map(|(issue, pos)| match pos {
            Some((l, c)) => format!("{path}:{l}:{c}: {issue}"),
            None => format!("{path}: {issue}"),
        })
        .collect();
    if more > 0 {
        lines.push(format!("{path}: ... and {more} more problems"));
    }
    lines.join("\n")
}

/// A scenario read from disk, with what is needed to save it back safely.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    pub path: PathBuf,
    pub scenario: Scenario,
    pub source: String,
    pub stamp: FileStamp,
}

/// What a file held when it was read, to detect changes made behind our back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    hash: u64,
}

impl FileStamp {
    pub fn of_bytes(bytes: &[u8]) -> FileStamp {
        // FNV-1a: stable across builds and platforms, plenty for change detection.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        FileStamp {
            len: bytes.len() as u64,
            hash,
        }
    }

    /// The content hash (FNV-1a, 64 bits).
    pub fn hash(&self) -> u64 {
        self.hash
    }
}

/// Reads only `version`, ignoring every other field, so a newer file is recognised as such
/// before its (possibly unknown) fields are looked at. A missing version reads as 0.
#[derive(Deserialize)]
#[serde(rename = "Scenario")]
struct VersionProbe {
    #[serde(default)]
    version: u64,
}

/// Parses scenario text; `path` is only used in messages. Does not check the catalog.
pub fn parse_str(text: &str, path: &str) -> Result<Scenario, LoadError> {
    let text = &*crate::text::normalize_source(text);
    if text.trim().is_empty() {
        return Err(LoadError::Empty { path: path.to_string() });
    }
    // Refuse newer formats before anything else: their new fields would otherwise read as
    // "unknown field" and hide the real cause.
    if let Ok(VersionProbe { version: v }) = ron::from_str::<VersionProbe>(text)
        && v != 0
        && v != u64::from(FORMAT_VERSION)
    {
        let pos = locate_field(text, "version").unwrap_or((1, 1));
        let message = if v > u64::from(FORMAT_VERSION) {
            format!(
                "field `version` = {v}: this file uses scenario format version {v}, but this build of llmcap reads version {FORMAT_VERSION}; upgrade llmcap to open it"
            )
        } else {
            format!("field `version` = {v} is not a scenario format version; accepted: {FORMAT_VERSION}")
        };
        return Err(LoadError::Version {
            path: path.to_string(),
            pos,
            message,
        });
    }
    ron::from_str::<Scenario>(text).map_err(|e| parse_error(text, path, &e))
}

fn parse_error(text: &str, path: &str, e: &ron::error::SpannedError) -> LoadError {
    use ron::error::Error as E;
    let pos = (e.span.start.line.max(1), e.span.start.col.max(1));
    let (field, message, hint): (Option<String>, String, Option<String>) = match &e.code {
        E::NoSuchStructField { expected, found, .. } => (
            path_at(text, pos.0, pos.1).filter(|p| p != found),
            format!("unknown field `{found}`"),
            Some(format!("known fields here: {}", quoted(expected))),
        ),
        E::NoSuchEnumVariant { expected, found, .. } => (
            path_at(text, pos.0, pos.1),
            format!("unknown value `{found}`"),
            Some(format!("accepted: {}", quoted(expected))),
        ),
        E::MissingStructField { field, outer } => {
            let parent = path_at(text, pos.0, pos.1);
            let full = match &parent {
                Some(p) if outer.as_deref() != Some("Scenario") => format!("{p}.{field}"),
                _ => field.to_string(),
            };
            (
                Some(full),
                "is required but missing".to_string(),
                Some("every required field is shown in scenarios/support-chatbot.ron".to_string()),
            )
        }
        E::DuplicateStructField { field, .. } => (
            Some(field.to_string()),
            "is given twice".to_string(),
            Some("keep one of the two".to_string()),
        ),
        E::ExpectedFloat | E::ExpectedInteger | E::FloatUnderscore | E::IntegerOutOfBounds => (
            path_at(text, pos.0, pos.1),
            "expected a number".to_string(),
            Some("write a number such as 2000 or 0.5".to_string()),
        ),
        E::ExpectedString => (
            path_at(text, pos.0, pos.1),
            "expected a string in double quotes".to_string(),
            None,
        ),
        E::ExpectedStringEnd => (
            path_at(text, pos.0, pos.1),
            "this string is never closed".to_string(),
            Some("add the closing double quote; the file may be truncated".to_string()),
        ),
        E::ExpectedBoolean => (
            path_at(text, pos.0, pos.1),
            "expected `true` or `false`".to_string(),
            None,
        ),
        E::Eof => (
            None,
            "the file ends too early".to_string(),
            Some("it may be truncated, or a bracket is not closed".to_string()),
        ),
        _ if radix_prefix(text, pos).is_some() => (
            path_at(text, pos.0, pos.1),
            format!(
                "{} numbers are not accepted",
                radix_prefix(text, pos).unwrap_or("hexadecimal")
            ),
            Some("write the number in decimal, e.g. 16 rather than 0x10".to_string()),
        ),
        E::SuggestRawIdentifier(found) => (
            path_at(text, pos.0, pos.1),
            format!("expected a field name, found `{}`", crate::text::terminal_line(found)),
            Some("groups are written with field names, e.g. `team: (platform_engineers: 2)`".to_string()),
        ),
        E::NoSuchExtension(name) => (
            None,
            format!("no RON extension named `{}`", crate::text::terminal_line(name)),
            Some("accepted in `#![enable(...)]`: implicit_some, unwrap_newtypes, unwrap_variant_newtypes, explicit_struct_names".to_string()),
        ),
        E::ExpectedComma | E::ExpectedArrayEnd | E::ExpectedStructLikeEnd | E::ExpectedMapEnd => (
            path_at(text, pos.0, pos.1),
            e.code.to_string().to_lowercase(),
            Some("a comma or a closing bracket is missing, or the file is truncated".to_string()),
        ),
        E::ExpectedNamedStructLike(_) | E::ExpectedStructLike | E::ExpectedDifferentStructName { .. }
            if pos == (1, 1) || path_at(text, pos.0, pos.1).is_none() =>
        {
            (
                None,
                "this is not a scenario file".to_string(),
                Some("a scenario starts with `Scenario(` and is written in RON".to_string()),
            )
        }
        E::Message(m) => (path_at(text, pos.0, pos.1), m.clone(), None),
        other => (path_at(text, pos.0, pos.1), lower_first(&other.to_string()), None),
    };
    LoadError::Parse {
        path: path.to_string(),
        pos,
        field,
        message,
        hint,
    }
}

/// `Some("hexadecimal")` (or octal, binary) when the parser stopped on the letter of a
/// `0x`/`0o`/`0b` number, which RON reads but a scenario does not accept.
fn radix_prefix(text: &str, pos: Pos) -> Option<&'static str> {
    let line: Vec<char> = text.lines().nth(pos.0.checked_sub(1)?)?.chars().collect();
    let at = pos.1.checked_sub(1)?;
    let (zero, letter) = (*line.get(at.checked_sub(1)?)?, *line.get(at)?);
    let before_zero = at.checked_sub(2).and_then(|i| line.get(i)).copied();
    if zero != '0' || before_zero.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.') {
        return None;
    }
    match letter {
        'x' | 'X' => Some("hexadecimal"),
        'o' | 'O' => Some("octal"),
        'b' | 'B' => Some("binary"),
        _ => None,
    }
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Reads, parses and validates a scenario file against the catalog.
pub fn load_file(path: &Path, catalog: &Catalog) -> Result<LoadedScenario, LoadError> {
    let display = crate::text::terminal_line(&path.display().to_string());
    let bytes = crate::fsio::read_limited(path, crate::fsio::MAX_INPUT_BYTES).map_err(|e| match e {
        ReadError::NotFound => LoadError::NotFound { path: display.clone() },
        ReadError::IsDirectory => LoadError::IsDirectory { path: display.clone() },
        ReadError::Io(source) => LoadError::Io {
            path: display.clone(),
            source,
        },
        other => LoadError::NotReadable {
            path: display.clone(),
            why: other.to_string(),
        },
    })?;
    let stamp = FileStamp::of_bytes(&bytes);
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(LoadError::Nul { path: display, offset });
    }
    let source = String::from_utf8(bytes).map_err(|e| LoadError::NotText {
        path: display.clone(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    let source = crate::text::normalize_source(&source).into_owned();
    let scenario = parse_str(&source, &display)?;
    let mut issues = validate_with_catalog(&scenario, catalog);
    if !issues.is_empty() {
        let more = issues.len().saturating_sub(MAX_ISSUES);
        issues.truncate(MAX_ISSUES);
        let paths: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        let positions = super::locate::locate_fields(&source, &paths);
        let issues = issues.into_iter().zip(positions).collect();
        return Err(LoadError::Invalid {
            path: display,
            issues,
            more,
        });
    }
    Ok(LoadedScenario {
        path: path.to_path_buf(),
        scenario,
        source,
        stamp,
    })
}

/// The scenario as RON, in the stable field order of the format.
pub fn to_ron_string(s: &Scenario) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .compact_arrays(true);
    let body = ron::ser::to_string_pretty(s, config)?;
    Ok(format!("Scenario{body}\n"))
}

/// Why a save did not happen. The file on disk is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(
        "{path}: not saved: the file changed on disk since it was opened; save under another name, or reload it first (or force the overwrite)"
    )]
    Changed { path: String },
    #[error("{path}: not saved: a file of that name already exists; choose another name (or force the overwrite)")]
    Exists { path: String },
    #[error("{path}: not saved: the folder {dir} does not exist")]
    NoFolder { path: String, dir: String },
    #[error("{path}: not saved: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}: not saved: the scenario could not be written as RON: {message}")]
    Encode { path: String, message: String },
}

/// Writes `scenario` to `path` atomically and returns the new stamp.
///
/// `expected` is what the file held when it was read (`None` for a new file): when the
/// file on disk no longer matches it, nothing is written unless `force` is set. The write
/// goes to a temporary file in the same folder, is flushed to disk, and then renamed over
/// the target, so a reader sees either the old file or the new one, never a part.
pub fn save_file(
    path: &Path,
    scenario: &Scenario,
    expected: Option<&FileStamp>,
    force: bool,
) -> Result<FileStamp, SaveError> {
    let display = crate::text::terminal_line(&path.display().to_string());
    let text = to_ron_string(scenario).map_err(|e| SaveError::Encode {
        path: display.clone(),
        message: e.to_string(),
    })?;
    write_atomic(path, text.as_bytes(), expected, force)
}

/// The atomic, conflict-checked write behind every file llmcap saves.
///
/// A symlink is written through to the file it names. A character device (`/dev/null`) or a
/// pipe with a reader is written in place and never replaced. The existing file is read
/// (up to the input limit) only to check for a conflict, never when `force` is set.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    expected: Option<&FileStamp>,
    force: bool,
) -> Result<FileStamp, SaveError> {
    let display = crate::text::terminal_line(&path.display().to_string());
    let io_err = |source: io::Error| SaveError::Io {
        path: display.clone(),
        source,
    };
    let real = match crate::fsio::write_target(path).map_err(io_err)? {
        Target::Stream(device) => {
            let mut f = crate::fsio::open_stream(&device).map_err(io_err)?;
            f.write_all(bytes).and_then(|()| f.flush()).map_err(io_err)?;
            return Ok(FileStamp::of_bytes(bytes));
        }
        Target::File(real) => real,
    };
    let dir = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(SaveError::NoFolder {
            path: display.clone(),
            dir: crate::text::terminal_line(&dir.display().to_string()),
        });
    }
    let old = fs::metadata(&real).ok();
    if !force {
        match (&old, expected) {
            (Some(_), None) => return Err(SaveError::Exists { path: display }),
            (Some(_), Some(stamp)) => match crate::fsio::read_limited(&real, crate::fsio::MAX_INPUT_BYTES) {
                Ok(now) if FileStamp::of_bytes(&now) == *stamp => {}
                // Grown past the input limit: it is not the file that was read.
                Ok(_) | Err(ReadError::TooLarge { .. }) => return Err(SaveError::Changed { path: display }),
                Err(ReadError::NotFound) => {}
                Err(ReadError::Io(e)) => return Err(io_err(e)),
                Err(other) => return Err(io_err(io::Error::other(other.to_string()))),
            },
            _ => {}
        }
    }

    let file_name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::fsio::remove_stale_temporaries(&dir, &file_name);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .rand_bytes(crate::fsio::TMP_RANDOM_CHARS)
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(io_err)?;
    tmp.write_all(bytes).map_err(io_err)?;
    tmp.as_file().sync_all().map_err(io_err)?;
    // Keep the permissions (and, where allowed, the owner) of the file we replace; a new
    // file gets the usual 0644 rather than the temporary file's private 0600.
    match &old {
        Some(m) => {
            tmp.as_file().set_permissions(m.permissions()).map_err(io_err)?;
            keep_owner(tmp.as_file(), m);
        }
        None => {
            if let Some(p) = default_permissions() {
                tmp.as_file().set_permissions(p).map_err(io_err)?;
            }
        }
    }
    tmp.persist(&real).map_err(|e| io_err(e.error))?;
    // Make the rename itself durable; some platforms cannot open a directory, which only
    // weakens durability, not correctness.
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(FileStamp::of_bytes(bytes))
}

/// Gives the new file the old one's owner and group; only root (or the owner, for the
/// group) may, and failing to is not worth refusing the save over.
#[cfg(unix)]
fn keep_owner(f: &fs::File, old: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::fchown(f, Some(old.uid()), Some(old.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_: &fs::File, _: &fs::Metadata) {}

#[cfg(unix)]
fn default_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<fs::Permissions> {
    None
}

impl fmt::Display for FileStamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes, fnv1a {:016x}", self.len, self.hash)
    }
}
