//! Loading: the embedded `assets/catalog/*.ron` files, the override folder merged over
//! them by key, and RON parsing whose errors name the file, line and column.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::{
    Availability, Catalog, Constant, Databricks, Gpu, Index, Meta, Model, PtuModel, PtuPrice, Quota, Region, Server,
    ServingEngine, TokenPrice, Vm,
};

/// The files of a catalog, in load order.
pub const FILES: &[&str] = &[
    "meta.ron",
    "regions.ron",
    "gpus.ron",
    "vms.ron",
    "models.ron",
    "prices.ron",
    "ptu.ron",
    "ptu_prices.ron",
    "constants.ron",
    "availability.ron",
    "quotas.ron",
    "engines.ron",
    "servers.ron",
    "databricks.ron",
];

const EMBEDDED: &[(&str, &str)] = &[
    ("meta.ron", include_str!("../../assets/catalog/meta.ron")),
    ("regions.ron", include_str!("../../assets/catalog/regions.ron")),
    ("gpus.ron", include_str!("../../assets/catalog/gpus.ron")),
    ("vms.ron", include_str!("../../assets/catalog/vms.ron")),
    ("models.ron", include_str!("../../assets/catalog/models.ron")),
    ("prices.ron", include_str!("../../assets/catalog/prices.ron")),
    ("ptu.ron", include_str!("../../assets/catalog/ptu.ron")),
    ("ptu_prices.ron", include_str!("../../assets/catalog/ptu_prices.ron")),
    ("constants.ron", include_str!("../../assets/catalog/constants.ron")),
    (
        "availability.ron",
        include_str!("../../assets/catalog/availability.ron"),
    ),
    ("quotas.ron", include_str!("../../assets/catalog/quotas.ron")),
    ("engines.ron", include_str!("../../assets/catalog/engines.ron")),
    ("servers.ron", include_str!("../../assets/catalog/servers.ron")),
    ("databricks.ron", include_str!("../../assets/catalog/databricks.ron")),
];

/// Why a catalog could not be loaded. Positions are 1-based line:column in the named file.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog: {path}: cannot read: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("catalog: {path}: is not a folder; --catalog and LLMCAP_CATALOG name a folder of override files ({})", FILES.join(", "))]
    NotAFolder { path: String },
    #[error("catalog: {path}: is not a catalog file; accepted names: {}", FILES.join(", "))]
    UnknownFile { path: String },
    #[error("catalog: {path}: catalog file names are lower case; rename it to {expected}")]
    WrongCase { path: String, expected: String },
    #[error("catalog: {path}: {why}")]
    NotReadable { path: String, why: String },
    #[error("catalog: {path}:{}:{}: {message}", pos.0, pos.1)]
    Parse {
        path: String,
        pos: (usize, usize),
        message: String,
    },
    #[error("catalog: {}", .problems.join("\ncatalog: "))]
    Invalid { problems: Vec<String> },
}

/// An entry that can be merged by key.
pub(super) trait Keyed {
    fn key(&self) -> String;
    /// The text that names the entry in its file, to find its line.
    fn anchor(&self) -> Anchor;
}

/// How to find an entry in its file: the first occurrence of `text` outside comments that
/// is followed, before the next occurrence, by `near` (for prices: the model's id, then its
/// deployment, since one model has several price entries).
pub(super) struct Anchor {
    pub text: String,
    pub near: Option<String>,
}

impl Anchor {
    fn quoted(id: &str) -> Anchor {
        Anchor {
            text: format!("\"{id}\""),
            near: None,
        }
    }
}

macro_rules! keyed_by_id {
    ($($t:ty),*) => {$(
        impl Keyed for $t {
            fn key(&self) -> String { self.id.clone() }
            fn anchor(&self) -> Anchor { Anchor::quoted(&self.id) }
        }
    )*};
}
keyed_by_id!(Region, Gpu, Vm, Model, Constant, ServingEngine, Server);

impl Keyed for Databricks {
    fn key(&self) -> String {
        match self {
            Databricks::Serving(e) => format!("serving/{}", e.id),
            Databricks::Dbu(e) => format!("dbu/{}", e.region),
            Databricks::Provisioned(e) => format!("provisioned/{}", e.model),
        }
    }
    fn anchor(&self) -> Anchor {
        match self {
            Databricks::Serving(e) => Anchor::quoted(&e.id),
            Databricks::Dbu(e) => Anchor::quoted(&e.region),
            Databricks::Provisioned(e) => Anchor::quoted(&e.model),
        }
    }
}

impl Keyed for TokenPrice {
    fn key(&self) -> String {
        format!("{}/{}", self.model, self.deployment.short())
    }
    fn anchor(&self) -> Anchor {
        Anchor {
            text: format!("\"{}\"", self.model),
            near: Some(format!("{:?}", self.deployment)),
        }
    }
}

impl Keyed for Availability {
    fn key(&self) -> String {
        format!(
            "{}/{}{}",
            self.model,
            self.deployment.short(),
            if self.fine_tuned { "/fine-tuned" } else { "" }
        )
    }
    fn anchor(&self) -> Anchor {
        Anchor {
            text: format!("\"{}\"", self.model),
            near: Some(format!("{:?}", self.deployment)),
        }
    }
}

impl Keyed for Quota {
    fn key(&self) -> String {
        format!(
            "{}/{}/{:?}{}",
            self.model,
            self.deployment.short(),
            self.tier,
            if self.government { "/government" } else { "" }
        )
    }
    fn anchor(&self) -> Anchor {
        Anchor {
            text: format!("\"{}\"", self.model),
            near: Some(format!("{:?}", self.tier)),
        }
    }
}

impl Keyed for PtuModel {
    fn key(&self) -> String {
        self.model.clone()
    }
    fn anchor(&self) -> Anchor {
        Anchor::quoted(&self.model)
    }
}

impl Keyed for PtuPrice {
    fn key(&self) -> String {
        format!("{:?}", self.kind)
    }
    fn anchor(&self) -> Anchor {
        Anchor {
            text: format!("{:?}", self.kind),
            near: None,
        }
    }
}

/// One file's text and where it came from, kept to turn entry keys into line numbers.
struct SourceFile {
    path: String,
    text: String,
    /// Where the comments are, found once when the first entry is located.
    comments: std::cell::OnceCell<Vec<std::ops::Range<usize>>>,
}

/// How many problems of a catalog are listed (and located in their file); a generated
/// override with thousands gets the first ones and a count.
const MAX_PROBLEMS: usize = 50;

impl SourceFile {
    fn line_of(&self, anchor: &Anchor) -> Option<(usize, usize)> {
        let comments = self.comments.get_or_init(|| comment_ranges(&self.text));
        let in_comment = |i: usize| {
            // Ranges are in order: the last one starting at or before i is the only candidate.
            let k = comments.partition_point(|r| r.start <= i);
            k > 0 && comments[k - 1].contains(&i)
        };
        let starts: Vec<usize> = self
            .text
            .match_indices(&anchor.text)
            .map(|(i, _)| i)
            .filter(|i| !in_comment(*i))
            .collect();
        let offset = match &anchor.near {
            None => *starts.first()?,
            Some(near) => *starts.iter().enumerate().find_map(|(k, &i)| {
                let end = starts.get(k + 1).copied().unwrap_or(self.text.len());
                self.text[i..end].contains(near.as_str()).then_some(&starts[k])
            })?,
        };
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, col))
    }

    fn at(&self, anchor: &Anchor) -> String {
        match self.line_of(anchor) {
            Some((l, c)) => format!("{}:{l}:{c}", self.path),
            None => self.path.clone(),
        }
    }
}

/// Byte ranges of the comments in RON text (`//` to the end of the line, nested `/* */`),
/// skipping strings, so an id named in a comment is not taken for its entry.
fn comment_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
                out.push(i..end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let start = i;
                let mut depth = 0usize;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                out.push(start..i.min(b.len()));
            }
            _ => i += 1,
        }
    }
    out
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

fn parse<T: DeserializeOwned>(file: &SourceFile) -> Result<T, CatalogError> {
    ron_options().from_str(&file.text).map_err(|e| CatalogError::Parse {
        path: file.path.clone(),
        pos: (e.span.start.line.max(1), e.span.start.col.max(1)),
        message: e.code.to_string(),
    })
}

/// Replaces entries with the same key and appends new ones; records which file each key
/// came from. Two entries with one key in the same file are an error.
fn merge<T: Keyed>(
    base: &mut Vec<T>,
    incoming: Vec<T>,
    file: usize,
    origin: &mut HashMap<String, usize>,
    sources: &[SourceFile],
    problems: &mut Vec<String>,
) {
    let mut seen = HashSet::new();
    // Positions by key: an override of thousands of entries merges in linear time.
    let mut position: HashMap<String, usize> = base.iter().enumerate().map(|(i, e)| (e.key(), i)).collect();
    for entry in incoming {
        let key = entry.key();
        if !seen.insert(key.clone()) {
            let at = if problems.len() < MAX_PROBLEMS {
                sources[file].at(&entry.anchor())
            } else {
                sources[file].path.clone()
            };
            problems.push(format!(
                "{at}: `{}` is defined twice in this file; keep one",
                crate::text::terminal_line(&key)
            ));
            continue;
        }
        match position.get(&key) {
            Some(&i) => base[i] = entry,
            None => {
                position.insert(key.clone(), base.len());
                base.push(entry);
            }
        }
        origin.insert(key, file);
    }
}

impl Catalog {
    /// The catalog built into the binary.
    pub fn embedded() -> Result<Catalog, CatalogError> {
        Catalog::load(None)
    }

    /// The embedded catalog with the override files of `dir` merged over it.
    pub fn load(dir: Option<&Path>) -> Result<Catalog, CatalogError> {
        let mut sources: Vec<SourceFile> = EMBEDDED
            .iter()
            .map(|(name, text)| SourceFile {
                path: format!("assets/catalog/{name} (built in)"),
                text: (*text).to_string(),
                comments: std::cell::OnceCell::new(),
            })
            .collect();
        let mut overrides = Vec::new();
        let mut ignored = Vec::new();
        if let Some(dir) = dir {
            let display = crate::text::terminal_line(&dir.display().to_string());
            if !dir.is_dir() {
                return Err(CatalogError::NotAFolder { path: display });
            }
            let mut entries: Vec<PathBuf> = fs::read_dir(dir)
                .map_err(|source| CatalogError::Io {
                    path: display.clone(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            for path in entries {
                let shown = crate::text::terminal_line(&path.display().to_string());
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                // Hidden files (editor locks such as `.#gpus.ron`, `.DS_Store`) and files
                // that are not `.ron` are not applied, and said so.
                let is_ron = path.extension().is_some_and(|x| x.eq_ignore_ascii_case("ron"));
                if name.starts_with('.') || !is_ron {
                    ignored.push(path);
                    continue;
                }
                if !FILES.contains(&name.as_str()) {
                    let lower = name.to_lowercase();
                    if FILES.contains(&lower.as_str()) {
                        return Err(CatalogError::WrongCase {
                            path: shown,
                            expected: lower,
                        });
                    }
                    return Err(CatalogError::UnknownFile { path: shown });
                }
                let bytes = crate::fsio::read_limited(&path, crate::fsio::MAX_INPUT_BYTES).map_err(|e| match e {
                    crate::fsio::ReadError::Io(source) => CatalogError::Io {
                        path: shown.clone(),
                        source,
                    },
                    other => CatalogError::NotReadable {
                        path: shown.clone(),
                        why: other.to_string(),
                    },
                })?;
                let text = String::from_utf8(bytes).map_err(|e| CatalogError::NotReadable {
                    path: shown.clone(),
                    why: format!(
                        "is not a text file (byte {} is not UTF-8)",
                        e.utf8_error().valid_up_to()
                    ),
                })?;
                let text = crate::text::normalize_source(&text).into_owned();
                sources.push(SourceFile {
                    path: shown,
                    text,
                    comments: std::cell::OnceCell::new(),
                });
                overrides.push(path);
            }
        }

        let mut meta: Option<Meta> = None;
        let mut cat = Catalog {
            meta: Meta {
                name: String::new(),
                as_of: String::new(),
                notes: String::new(),
            },
            regions: Vec::new(),
            gpus: Vec::new(),
            vms: Vec::new(),
            models: Vec::new(),
            prices: Vec::new(),
            ptu: Vec::new(),
            ptu_prices: Vec::new(),
            constants: Vec::new(),
            availability: Vec::new(),
            quotas: Vec::new(),
            engines: Vec::new(),
            servers: Vec::new(),
            databricks: Vec::new(),
            overrides,
            ignored,
            index: Index::default(),
        };
        let mut origins: HashMap<&'static str, HashMap<String, usize>> = HashMap::new();
        let mut problems = Vec::new();
        for i in 0..sources.len() {
            let name = Path::new(&sources[i].path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let name = name.split(' ').next().unwrap_or_default().to_string();
            macro_rules! take {
                ($field:ident, $kind:literal) => {{
                    let incoming = parse(&sources[i])?;
                    let origin = origins.entry($kind).or_default();
                    merge(&mut cat.$field, incoming, i, origin, &sources, &mut problems);
                }};
            }
            match name.as_str() {
                "meta.ron" => meta = Some(parse(&sources[i])?),
                "regions.ron" => take!(regions, "regions"),
                "gpus.ron" => take!(gpus, "gpus"),
                "vms.ron" => take!(vms, "vms"),
                "models.ron" => take!(models, "models"),
                "prices.ron" => take!(prices, "prices"),
                "ptu.ron" => take!(ptu, "ptu"),
                "ptu_prices.ron" => take!(ptu_prices, "ptu_prices"),
                "constants.ron" => take!(constants, "constants"),
                "availability.ron" => take!(availability, "availability"),
                "quotas.ron" => take!(quotas, "quotas"),
                "engines.ron" => take!(engines, "engines"),
                "servers.ron" => take!(servers, "servers"),
                "databricks.ron" => take!(databricks, "databricks"),
                _ => {
                    return Err(CatalogError::UnknownFile {
                        path: sources[i].path.clone(),
                    });
                }
            }
        }
        if let Some(m) = meta {
            cat.meta = m;
        }
        cat.build_index();
        // Only the problems that will be listed are located: each search reads the file.
        let located = std::cell::Cell::new(problems.len());
        let at = |kind: &'static str, key: &str, anchor: &Anchor| -> String {
            match origins.get(kind).and_then(|o| o.get(key)) {
                Some(&i) if located.get() < MAX_PROBLEMS => {
                    located.set(located.get() + 1);
                    sources[i].at(anchor)
                }
                Some(&i) => sources[i].path.clone(),
                None => format!("{kind}.ron"),
            }
        };
        cat.check(&at, &mut problems);
        if problems.is_empty() {
            Ok(cat)
        } else {
            let more = problems.len().saturating_sub(MAX_PROBLEMS);
            problems.truncate(MAX_PROBLEMS);
            if more > 0 {
                problems.push(format!("... and {more} more problems"));
            }
            Err(CatalogError::Invalid { problems })
        }
    }
}
