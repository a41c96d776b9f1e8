//! Templating: the only module that calls Tera. Compiles a theme's templates
//! once and renders views with them; Tera's errors become diagnostics that
//! name the template file, line and column.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;
use tera::{ArgFromValue, ErrorKind, Kwargs, State, StringInput, Tera, TeraResult, Value};

use crate::diagnostics::{Diagnostic, Position};
use crate::theme::TemplateSource;

/// A theme's templates, compiled.
pub struct Templates {
    tera: Tera,
    /// Template name -> the file it came from, for messages.
    origins: HashMap<String, PathBuf>,
}

impl Templates {
    /// Compiles every template; on failure returns the problems found.
    pub fn compile(sources: &[TemplateSource]) -> Result<Self, Vec<Diagnostic>> {
        let origins: HashMap<String, PathBuf> = sources
            .iter()
            .map(|t| (t.name.clone(), t.origin.clone()))
            .collect();
        let mut tera = Tera::new();
        tera.register_filter("fill", fill);
        let added =
            tera.add_raw_templates(sources.iter().map(|t| (t.name.as_str(), t.text.as_str())));
        let templates = Self { tera, origins };
        match added {
            Ok(()) => Ok(templates),
            Err(e) => Err(vec![templates.diagnostic(&e, None)]),
        }
    }

    /// Renders template `name` with `view` as its context.
    pub fn render<T: Serialize>(&self, name: &str, view: &T) -> Result<String, Diagnostic> {
        let context =
            tera::Context::from_serialize(view).map_err(|e| self.diagnostic(&e, Some(name)))?;
        self.tera
            .render(name, &context)
            .map_err(|e| self.diagnostic(&e, Some(name)))
    }

    fn origin(&self, name: &str) -> PathBuf {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("<template {name}>")))
    }

    fn diagnostic(&self, e: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let hint = "see the README's template context for the variables each page has";
        match e.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                Diagnostic::error(
                    self.origin(report.filename()),
                    Position::new(span.start_line.max(1), span.start_col + 1),
                    format!("template error: {}", report.message()),
                )
                .with_hint(hint)
            }
            ErrorKind::TemplateNotFound(name) => {
                let at = rendering.map_or_else(|| PathBuf::from("themes"), |n| self.origin(n));
                Diagnostic::error(at, Position::START, format!("template `{name}` not found"))
                    .with_hint("add it to themes/<theme>/templates/ or fix the name")
            }
            other => {
                let at = rendering.map_or_else(|| PathBuf::from("themes"), |n| self.origin(n));
                Diagnostic::error(at, Position::START, format!("template error: {other}"))
                    .with_hint(hint)
            }
        }
    }
}

/// `{{ t.notice_upcoming | fill(date=version.effective_date.text) }}`:
/// replaces each `{name}` in a UI string with the keyword argument `name`.
/// The string and plain values are escaped; values marked `| safe` (a link
/// built in the template) are inserted as they are.
fn fill(text: StringInput<'_>, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let mut out = text.rendered(state)?.into_owned();
    for (key, value) in kwargs.iter() {
        let value = StringInput::from_value(value)?;
        out = out.replace(&format!("{{{key}}}"), &value.rendered(state)?);
    }
    Ok(Value::safe_string(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, text: &str) -> TemplateSource {
        TemplateSource {
            name: name.to_string(),
            origin: PathBuf::from(format!("themes/t/templates/{name}")),
            text: text.to_string(),
        }
    }

    #[test]
    fn escapes_html_by_default_and_reports_undefined_variables() {
        let t = Templates::compile(&[source("a.html", "<p>{{ x }}</p>\n{{ y }}")]).unwrap();
        #[derive(Serialize)]
        struct V {
            x: &'static str,
        }
        let err = t.render("a.html", &V { x: "<&\">" }).unwrap_err();
        assert_eq!(err.path, PathBuf::from("themes/t/templates/a.html"));
        assert_eq!((err.line, err.column), (2, 4));

        let t = Templates::compile(&[source("a.html", "<p>{{ x }}</p>")]).unwrap();
        assert_eq!(
            t.render("a.html", &V { x: "<&\">" }).unwrap(),
            "<p>&lt;&amp;&quot;&gt;</p>"
        );
    }

    #[test]
    fn fill_escapes_text_and_plain_values() {
        #[derive(Serialize)]
        struct V {
            s: &'static str,
            d: &'static str,
        }
        let t = Templates::compile(&[source(
            "f.html",
            "{{ s | fill(date=d) }}|{{ s | fill(date='<a href=\"/x/\">x</a>' | safe) }}",
        )])
        .unwrap();
        let out = t
            .render(
                "f.html",
                &V {
                    s: "On {date} & <b>",
                    d: "1 <May>",
                },
            )
            .unwrap();
        assert_eq!(
            out,
            "On 1 &lt;May&gt; &amp; &lt;b&gt;|On <a href=\"/x/\">x</a> &amp; &lt;b&gt;"
        );
    }

    #[test]
    fn syntax_errors_name_the_file_and_line() {
        let err = Templates::compile(&[source("b.html", "ok\n{% if %}")])
            .err()
            .unwrap();
        assert_eq!(err[0].path, PathBuf::from("themes/t/templates/b.html"));
        assert_eq!(err[0].line, 2);
    }
}
