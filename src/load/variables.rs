//! Site variables in the text of a version: `{{ site.title }}` and
//! `{{ site.extra.NAME }}` (with a language's own `[languages.<code>.extra]`
//! over the site's), expanded before the Markdown is parsed so that they
//! work in link destinations too. Nothing else of a template language is
//! run: other template code (`{% ... %}`, `{{ person.name }}`) is reported
//! and shown as the text it is. Code spans and code blocks are left alone,
//! and `\{{` is a literal `{{` (Markdown drops the backslash).
//!
//! Pure: it knows the config's values and the text, nothing else
//! (`config` builds each language's `Variables`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

/// The values a version's text can use, by name (`site.extra.email`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Variables {
    values: BTreeMap<String, String>,
    /// Names that hold a table or a list, not text.
    not_text: Vec<String>,
}

impl Variables {
    /// The variables of pages in one language: `site.title`, the site's
    /// `extra` values, and the language's own `extra` over them.
    pub fn new(title: &str, extra: &serde_json::Value, own: &serde_json::Value) -> Self {
        let mut vars = Variables::default();
        vars.values
            .insert("site.title".to_string(), title.to_string());
        vars.add("site.extra", extra);
        if !own.is_null() {
            vars.add("site.extra", own);
        }
        vars
    }

    fn add(&mut self, prefix: &str, value: &serde_json::Value) {
        use serde_json::Value;
        let text = match value {
            Value::Object(table) => {
                // A table the language overrides replaces nothing else.
                self.not_text.retain(|n| n != prefix);
                for (key, value) in table {
                    self.add(&format!("{prefix}.{key}"), value);
                }
                if prefix != "site.extra" {
                    self.not_text.push(prefix.to_string());
                }
                return;
            }
            Value::Array(_) | Value::Null => {
                self.values.remove(prefix);
                self.not_text.push(prefix.to_string());
                return;
            }
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        self.not_text.retain(|n| n != prefix);
        self.values.insert(prefix.to_string(), text);
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }
}

/// Something in the text that is not a known variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte offset in the original text.
    pub offset: usize,
    pub kind: FindingKind,
    pub message: String,
    pub hint: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// `{{ site.nmae }}`: an error wherever it is.
    UnknownVariable,
    /// Template code of another generator (`{% ... %}`, `{{ person.name }}`):
    /// an error in text that can change, a warning in archived text.
    TemplateCode,
}

/// A text with its variables expanded, and the way back to the original
/// offsets.
#[derive(Debug)]
pub struct Expanded<'t> {
    pub text: Cow<'t, str>,
    /// For each expansion: its range in `text` and in the original.
    spans: Vec<(Range<usize>, Range<usize>)>,
    pub findings: Vec<Finding>,
}

impl Expanded<'_> {
    /// Whether any variable was expanded.
    pub fn expanded_any(&self) -> bool {
        !self.spans.is_empty()
    }

    /// The offset in the original text of `offset` in the expanded one
    /// (inside an expanded value: where its `{{` is).
    pub fn original_offset(&self, offset: usize) -> usize {
        let i = self.spans.partition_point(|(new, _)| new.start <= offset);
        match i.checked_sub(1).map(|i| &self.spans[i]) {
            None => offset,
            Some((new, old)) if offset < new.end => old.start,
            Some((new, old)) => old.end + (offset - new.end),
        }
    }
}

/// Expands the variables in `text` (a version's Markdown body).
pub fn expand<'t>(text: &'t str, vars: &Variables) -> Expanded<'t> {
    let unchanged = |findings| Expanded {
        text: Cow::Borrowed(text),
        spans: Vec::new(),
        findings,
    };
    if !text.contains("{{") && !text.contains("{%") {
        return unchanged(Vec::new());
    }
    let code = code_ranges(text);
    let in_code = |offset: usize| {
        let i = code.partition_point(|r| r.start <= offset);
        i > 0 && offset < code[i - 1].end
    };
    let mut out = String::with_capacity(text.len());
    let mut spans = Vec::new();
    let mut findings = Vec::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = text[at..].find('{') {
        let start = at + found;
        at = start + 1;
        let rest = &text[start..];
        let close = if rest.starts_with("{{") {
            "}}"
        } else if rest.starts_with("{%") {
            "%}"
        } else {
            continue;
        };
        if in_code(start) || text[..start].ends_with('\\') {
            at = start + 2;
            continue;
        }
        // A tag ends on its own line: a stray `{{` is just text.
        let Some(len) = rest[2..]
            .split('\n')
            .next()
            .and_then(|line| line.find(close))
        else {
            at = start + 2;
            continue;
        };
        let end = start + 2 + len + 2;
        let inner = text[start + 2..end - 2].trim();
        let tag = &text[start..end];
        at = end;
        if close == "}}" && inner.starts_with("site.") {
            if let Some(value) = vars.values.get(inner) {
                out.push_str(&text[copied..start]);
                spans.push((out.len()..out.len() + value.len(), start..end));
                out.push_str(value);
                copied = end;
            } else {
                findings.push(unknown(start, inner, vars));
            }
            continue;
        }
        findings.push(Finding {
            offset: start,
            kind: FindingKind::TemplateCode,
            message: format!("template code `{tag}` is not run: it is shown as written"),
            hint: "only `{{ site.title }}` and `{{ site.extra.NAME }}` are expanded; \
                   write the text itself, or `\\{{` for a literal `{{`"
                .to_string(),
        });
    }
    if spans.is_empty() {
        return unchanged(findings);
    }
    out.push_str(&text[copied..]);
    Expanded {
        text: Cow::Owned(out),
        spans,
        findings,
    }
}

fn unknown(offset: usize, name: &str, vars: &Variables) -> Finding {
    let (message, hint) = if vars.not_text.iter().any(|n| n == name) {
        (
            format!("variable `{name}` is a table or a list, not text"),
            "use one of its values, such as `site.extra.NAME.KEY`".to_string(),
        )
    } else {
        let hint = match crate::base::diagnostics::did_you_mean(name, vars.names()) {
            Some(close) => format!("did you mean `{{{{ {close} }}}}`?"),
            None => {
                "define it in config.toml under [extra] (or [languages.<code>.extra])".to_string()
            }
        };
        (format!("unknown variable `{name}`"), hint)
    };
    Finding {
        offset,
        kind: FindingKind::UnknownVariable,
        message,
        hint,
    }
}

/// Byte ranges of code spans and code blocks, in order.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut depth = 0;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                if depth == 0 {
                    ranges.push(range);
                }
                depth += 1;
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => depth -= 1,
            Event::Code(_) if depth == 0 => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Variables {
        let mut v = Variables::default();
        v.values.insert("site.title".into(), "Acme".into());
        v.add(
            "site.extra",
            &serde_json::json!({"email": "mailto:a@b.example", "team": {"lead": "Ann"}, "list": [1]}),
        );
        v
    }

    #[test]
    fn expands_site_variables_everywhere_but_code() {
        let text = "Hi {{ site.title }}, [mail]({{site.extra.email}}).\n\n\
                    `{{ site.title }}` and\n\n    {{ site.title }}\n\n\\{{ site.title }} {{ site.extra.team.lead }}\n";
        let e = expand(text, &vars());
        assert_eq!(
            e.text,
            "Hi Acme, [mail](mailto:a@b.example).\n\n\
             `{{ site.title }}` and\n\n    {{ site.title }}\n\n\\{{ site.title }} Ann\n"
        );
        assert!(e.findings.is_empty());
        // Offsets after an expansion map back to the original.
        let comma = e.text.find(", [").unwrap();
        assert_eq!(e.original_offset(comma), text.find(", [").unwrap());
        assert_eq!(e.original_offset(3), 3);
        assert_eq!(e.original_offset(4), 3);
        let ann = e.text.find("Ann").unwrap();
        assert_eq!(
            e.original_offset(ann + 1),
            text.find("{{ site.extra.team").unwrap()
        );
    }

    #[test]
    fn unknown_names_and_template_code_are_found() {
        let text = "{{ site.titel }} {{ site.email }} {% asset_path x %} {{ person.name }} {{ site.extra.list }} {{ oops\n";
        let e = expand(text, &vars());
        assert_eq!(e.text, text);
        let found: Vec<(usize, FindingKind, &str, &str)> = e
            .findings
            .iter()
            .map(|f| (f.offset, f.kind, f.message.as_str(), f.hint.as_str()))
            .collect();
        assert_eq!(found[0].2, "unknown variable `site.titel`");
        assert_eq!(found[0].3, "did you mean `{{ site.title }}`?");
        assert_eq!(found[1].3, "did you mean `{{ site.extra.email }}`?");
        assert_eq!(found[2].0, 34);
        assert_eq!(found[2].1, FindingKind::TemplateCode);
        assert_eq!(
            found[3].2,
            "template code `{{ person.name }}` is not run: it is shown as written"
        );
        assert_eq!(
            found[4].2,
            "variable `site.extra.list` is a table or a list, not text"
        );
        assert_eq!(found.len(), 5);
    }

    #[test]
    fn a_language_overrides_the_sites_values() {
        let mut v = vars();
        v.add(
            "site.extra",
            &serde_json::json!({"email": "mailto:de@b.example"}),
        );
        assert_eq!(
            expand("{{ site.extra.email }}", &v).text,
            "mailto:de@b.example"
        );
        assert_eq!(expand("{{ site.extra.team.lead }}", &v).text, "Ann");
    }
}
