//! Plain-text tables for terminal output: columns sized to their widest cell, numbers
//! right-aligned, no colour (so they read the same in a pipe, a file or a terminal).
//! Widths are terminal columns (`unicode-width`), not chars: a CJK character takes two,
//! a combining mark or zero-width space none.

use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone)]
pub struct Table {
    headers: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// `columns` pairs each header with its alignment.
    pub fn new(columns: &[(&str, Align)]) -> Table {
        Table {
            headers: columns.iter().map(|(h, _)| (*h).to_string()).collect(),
            align: columns.iter().map(|(_, a)| *a).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are blank, extra cells are dropped.
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut row: Vec<String> = cells.into_iter().map(Into::into).collect();
        row.resize(self.headers.len(), String::new());
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn render(&self) -> String {
        let width = |s: &str| s.width();
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| width(&r[c]))
                    .chain(std::iter::once(width(&self.headers[c])))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| -> String {
            let mut out = String::new();
            for (c, cell) in cells.iter().enumerate() {
                let pad = widths[c].saturating_sub(width(cell));
                if c > 0 {
                    out.push_str("  ");
                }
                match self.align[c] {
                    Align::Left => {
                        out.push_str(cell);
                        if c + 1 < cells.len() {
                            out.push_str(&" ".repeat(pad));
                        }
                    }
                    Align::Right => {
                        out.push_str(&" ".repeat(pad));
                        out.push_str(cell);
                    }
                }
            }
            out.trim_end().to_string()
        };
        let mut out = line(&self.headers);
        out.push('\n');
        // No rule under trailing columns that are empty everywhere.
        let drawn = widths.iter().rposition(|w| *w > 0).map_or(0, |i| i + 1);
        let rule: Vec<String> = widths[..drawn].iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&rule.join("  "));
        out.push('\n');
        for r in &self.rows {
            out.push_str(&line(r));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns() {
        let mut t = Table::new(&[("id", Align::Left), ("GiB", Align::Right), ("note", Align::Left)]);
        t.row(["h100-sxm", "80", ""]);
        t.row(["a10", "24", "~"]);
        assert_eq!(
            t.render(),
            "id        GiB  note\n--------  ---  ----\nh100-sxm   80\na10        24  ~\n"
        );
    }

    #[test]
    fn no_rule_under_empty_trailing_columns() {
        let mut t = Table::new(&[("id", Align::Left), ("", Align::Left)]);
        t.row(["a", ""]);
        assert_eq!(t.render(), "id\n--\na\n");
    }

    #[test]
    fn wide_and_zero_width_characters_keep_columns_aligned() {
        let mut t = Table::new(&[("name", Align::Left), ("n", Align::Right), ("end", Align::Left)]);
        t.row(["日本語", "1", "x"]); // 3 chars, 6 columns
        t.row(["cafe\u{301}", "22", "x"]); // combining acute: 5 chars, 4 columns
        t.row(["a\u{200B}b", "333", "x"]); // zero-width space: 3 chars, 2 columns
        let out = t.render();
        assert_eq!(
            out,
            "name      n  end\n------  ---  ---\n日本語    1  x\ncafe\u{301}     22  x\na\u{200B}b      333  x\n"
        );
        // Every line puts `end`'s column at the same terminal column.
        let columns: Vec<usize> = out
            .lines()
            .filter(|l| !l.starts_with('-'))
            .map(|l| l.rfind(' ').map_or(0, |i| l[..=i].width()))
            .collect();
        assert!(columns.iter().all(|c| *c == columns[0]), "{columns:?}\n{out}");
    }
}
