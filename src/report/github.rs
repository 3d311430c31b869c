//! GitHub Actions workflow commands: one annotation per finding,
//! `::warning file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::message`
//! (`notice` for suggest-tier findings). Columns count chars. Values are
//! escaped as the runner expects (`%`, CR, LF, and in properties `:` and `,`).
//! A document that failed gets `::error file=PATH,title=zhclean::message`.

use super::{describe_fix, end_position, DocReport, Reporter, Summary};
use crate::edit::Applicability;
use std::io::{self, Write};

/// Escape a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes GitHub annotations.
#[derive(Debug, Default, Clone, Copy)]
pub struct Github;

impl Reporter for Github {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        for f in doc.findings {
            let kind = match f.tier() {
                Applicability::Suggest => "notice",
                _ => "warning",
            };
            let mut props = format!("file={}", escape_property(doc.path));
            if let Some(l) = f.location {
                let (el, ec) = end_position(l.line, l.column, &f.original);
                props.push_str(&format!(
                    ",line={},col={},endLine={el},endColumn={ec}",
                    l.line, l.column
                ));
            }
            props.push_str(&format!(
                ",title={}",
                escape_property(&format!("{} [{}]", f.rule, f.tier()))
            ));
            let mut msg = f.message.to_string();
            if let Some(d) = describe_fix(f) {
                msg.push_str(&format!(" ({d})"));
            }
            writeln!(out, "::{kind} {props}::{}", escape_data(&msg))?;
        }
        Ok(())
    }

    fn error(&mut self, out: &mut dyn Write, path: &str, message: &str) -> io::Result<()> {
        writeln!(
            out,
            "::error file={},title=zhclean::{}",
            escape_property(path),
            escape_data(message)
        )
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        out.flush()
    }

    fn fork(&self) -> Option<Box<dyn Reporter>> {
        Some(Box::new(Github))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
