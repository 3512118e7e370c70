//! Plain-text tables for terminal output: columns sized to their widest cell, numbers
//! right-aligned, no colour (so they read the same in a pipe, a file or a terminal).

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
        let width = |s: &str| s.chars().count();
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
}
