//! Finds where a field path (`workload.cached_input_share`, `self_hosting.gpus[1]`) stands in
//! RON source, so validation issues can carry a line:column like parse errors do.
//!
//! It is a scanner, not a parser: it understands comments, strings, chars and nesting well
//! enough to follow field names and sequence indices, and gives up quietly (`None`) on
//! anything it does not follow. Unnamed parentheses (the top-level `Scenario(`, enum
//! variants such as `Custom(`) are transparent to paths.

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seg {
    Field(String),
    Index(usize),
}

fn parse_path(path: &str) -> Option<Vec<Seg>> {
    let mut segs = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            segs.push(Seg::Field(name.to_string()));
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let end = stripped.find(']')?;
            segs.push(Seg::Index(stripped[..end].parse().ok()?));
            rest = &stripped[end + 1..];
        }
    }
    Some(segs)
}

#[derive(Debug)]
enum Frame {
    /// `(`: a struct (fields named) or an unnamed tuple/variant wrapper.
    Paren { field: Option<String> },
    /// `[`: a sequence with the index of the element being read.
    Seq { index: usize, started: bool },
    /// `{`: a map; paths do not descend into maps.
    Brace,
}

fn current_path(frames: &[Frame]) -> Vec<Seg> {
    let mut path = Vec::new();
    for frame in frames {
        match frame {
            Frame::Paren { field: Some(f) } => path.push(Seg::Field(f.clone())),
            Frame::Paren { field: None } | Frame::Brace => {}
            Frame::Seq { index, .. } => path.push(Seg::Index(*index)),
        }
    }
    path
}

fn render_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Field(f) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(f);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// What the walk reports: a field name, the start of a sequence element, or any other token.
#[derive(Clone, Copy, PartialEq)]
enum Mark {
    Field,
    Element,
    Token,
}

/// 1-based line and column (in characters) of the field or element at `path`, if found.
pub fn locate_field(source: &str, path: &str) -> Option<(usize, usize)> {
    let target = parse_path(path)?;
    if target.is_empty() {
        return None;
    }
    let mut found = None;
    walk(source, |mark, pos, current| {
        if mark != Mark::Token && current == target.as_slice() {
            found = Some(pos);
            return true;
        }
        false
    });
    found
}

/// The positions of many paths in one walk of the source (issue lists can be long; one walk
/// per issue would be quadratic in the file's size).
pub fn locate_fields(source: &str, paths: &[&str]) -> Vec<Option<(usize, usize)>> {
    use std::collections::HashMap;
    let mut found = vec![None; paths.len()];
    let mut wanted: HashMap<Vec<Seg>, Vec<usize>> = HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        if let Some(t) = parse_path(p).filter(|t| !t.is_empty()) {
            wanted.entry(t).or_default().push(i);
        }
    }
    let mut left = wanted.len();
    if left == 0 {
        return found;
    }
    walk(source, |mark, pos, current| {
        if mark != Mark::Token
            && let Some(ids) = wanted.remove(current)
        {
            for i in ids {
                found[i] = Some(pos);
            }
            left -= 1;
        }
        left == 0
    });
    found
}

/// The field path in force at a 1-based position (for naming the field of a parse error).
pub fn path_at(source: &str, line: usize, col: usize) -> Option<String> {
    let mut last: Option<Vec<Seg>> = None;
    walk(source, |_, pos, current| {
        if pos > (line, col) {
            return true;
        }
        last = Some(current.to_vec());
        false
    });
    last.filter(|p| !p.is_empty()).map(|p| render_path(&p))
}

/// Walks the tokens of `source`, calling `visit(mark, position, path)`; stops when it returns true.
fn walk(source: &str, mut visit: impl FnMut(Mark, (usize, usize), &[Seg]) -> bool) {
    let chars: Vec<char> = source.chars().collect();
    let mut line = 1usize;
    let mut col = 1usize;
    let mut i = 0usize;
    let mut frames: Vec<Frame> = Vec::new();

    // Advance one char, keeping line/col right.
    macro_rules! bump {
        () => {{
            if chars[i] == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
            i += 1;
        }};
    }

    while i < chars.len() {
        let c = chars[i];
        // Whitespace and comments.
        if c.is_whitespace() {
            bump!();
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                bump!();
            }
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            let mut depth = 0usize;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    bump!();
                    bump!();
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth = depth.saturating_sub(1);
                    bump!();
                    bump!();
                    if depth == 0 {
                        break;
                    }
                } else {
                    bump!();
                }
            }
            continue;
        }

        // A value starts here when we are at the beginning of a sequence element.
        let token_pos = (line, col);
        if let Some(Frame::Seq { started, .. }) = frames.last_mut()
            && !*started
            && c != ']'
            && c != ','
        {
            *started = true;
            if visit(Mark::Element, token_pos, &current_path(&frames)) {
                return;
            }
        }
        if visit(Mark::Token, token_pos, &current_path(&frames)) {
            return;
        }

        match c {
            '(' => {
                frames.push(Frame::Paren { field: None });
                bump!();
            }
            '[' => {
                frames.push(Frame::Seq {
                    index: 0,
                    started: false,
                });
                bump!();
            }
            '{' => {
                frames.push(Frame::Brace);
                bump!();
            }
            ')' | ']' | '}' => {
                frames.pop();
                bump!();
            }
            ',' => {
                if let Some(Frame::Seq { index, started }) = frames.last_mut() {
                    *index += 1;
                    *started = false;
                } else if let Some(Frame::Paren { field }) = frames.last_mut() {
                    *field = None;
                }
                bump!();
            }
            '"' => {
                bump!();
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        bump!();
                    }
                    if i < chars.len() {
                        bump!();
                    }
                }
                if i < chars.len() {
                    bump!();
                }
            }
            'r' if matches!(chars.get(i + 1), Some('#') | Some('"')) => {
                // Raw string r#"..."#.
                bump!();
                let mut hashes = 0usize;
                while i < chars.len() && chars[i] == '#' {
                    hashes += 1;
                    bump!();
                }
                if i < chars.len() {
                    bump!(); // opening quote
                }
                'raw: while i < chars.len() {
                    if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                        for _ in 0..=hashes {
                            bump!();
                        }
                        break 'raw;
                    }
                    bump!();
                }
            }
            '\'' => {
                bump!();
                while i < chars.len() && chars[i] != '\'' {
                    if chars[i] == '\\' {
                        bump!();
                    }
                    if i < chars.len() {
                        bump!();
                    }
                }
                if i < chars.len() {
                    bump!();
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = token_pos;
                let mut ident = String::new();
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    ident.push(chars[i]);
                    bump!();
                }
                // Is it a field name (followed by `:`)?
                let mut j = i;
                while j < chars.len() && chars[j].is_whitespace() && chars[j] != '\n' {
                    j += 1;
                }
                if chars.get(j) == Some(&':')
                    && let Some(Frame::Paren { field }) = frames.last_mut()
                {
                    *field = Some(ident);
                    if visit(Mark::Field, start, &current_path(&frames)) {
                        return;
                    }
                }
            }
            _ => bump!(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"// a comment with workload: inside
Scenario(
    version: 1,
    name: "x: (y)",
    workload: (
        requests_per_day: 100, /* block: ( */
        cached_input_share: 1.5,
    ),
    traffic: (pattern: Custom([1, 2,
        3]), peak_to_average: 0.5),
    self_hosting: (gpus: ["h100-sxm", "h99"]),
)"#;

    #[test]
    fn finds_nested_fields() {
        assert_eq!(locate_field(SRC, "workload.cached_input_share"), Some((7, 9)));
        assert_eq!(locate_field(SRC, "workload"), Some((5, 5)));
        assert_eq!(locate_field(SRC, "traffic.peak_to_average"), Some((10, 14)));
    }

    #[test]
    fn finds_sequence_elements_through_variants() {
        assert_eq!(locate_field(SRC, "traffic.pattern[2]"), Some((10, 9)));
        assert_eq!(locate_field(SRC, "self_hosting.gpus[1]"), Some((11, 39)));
    }

    #[test]
    fn ignores_comments_and_strings() {
        assert_eq!(locate_field(SRC, "name"), Some((4, 5)));
        assert_eq!(locate_field(SRC, "y"), None);
    }

    #[test]
    fn names_the_field_at_a_position() {
        assert_eq!(path_at(SRC, 7, 29).as_deref(), Some("workload.cached_input_share"));
        assert_eq!(path_at(SRC, 10, 9).as_deref(), Some("traffic.pattern[2]"));
        assert_eq!(path_at(SRC, 1, 1), None);
    }

    #[test]
    fn missing_paths_are_none() {
        assert_eq!(locate_field(SRC, "team.platform_engineers"), None);
        assert_eq!(locate_field(SRC, ""), None);
        assert_eq!(locate_field("\u{0}\u{1}((((", "a.b"), None);
    }
}
