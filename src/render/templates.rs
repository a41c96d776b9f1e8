//! Templating: the only module that calls Tera. Compiles a theme's templates
//! once and renders views with them; Tera's errors become diagnostics that
//! name the template file, line and column.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;
use tera::{ArgFromValue, ErrorKind, Kwargs, State, StringInput, Tera, TeraResult, Value};

use crate::base::diagnostics::{Diagnostic, Position};
use crate::load::theme::TemplateSource;

const HINT: &str = "docs/themes.md#template-context lists the variables each page has";

/// A part of the context that many pages share (the site, a language's
/// words, a version with its body), converted for templates once: giving
/// it to a page costs a reference count, not a copy.
#[derive(Clone)]
pub struct Shared(Value);

impl Shared {
    /// Converts `view`. The views are plain data, so this cannot fail; if
    /// it did, templates would find the part empty and say so.
    pub fn new<T: Serialize>(view: &T) -> Self {
        Shared(Value::try_from_serializable(view).unwrap_or_else(|_| Value::none()))
    }
}

/// Serializes trusted HTML (a rendered body, a redline) so that templates
/// see it marked safe: printed as it is, without the copy `| safe` makes.
/// Any other serializer sees a plain string.
pub fn serialize_safe<S: serde::Serializer>(html: &str, serializer: S) -> Result<S::Ok, S::Error> {
    // Tera's serializer takes a Value in a struct as it is.
    Value::safe_string(html).serialize(serializer)
}

/// A Tera instance with clause's filters.
fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.register_filter("fill", fill);
    tera.register_filter("css_string", css_string);
    tera
}

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
        let mut tera = new_tera();
        let added =
            tera.add_raw_templates(sources.iter().map(|t| (t.name.as_str(), t.text.as_str())));
        let templates = Self { tera, origins };
        let Err(e) = added else {
            return Ok(templates);
        };
        // Tera stops at the first syntax error; parse each template alone to report every one.
        let syntax: Vec<Diagnostic> = sources
            .iter()
            .filter_map(|t| new_tera().add_raw_template(&t.name, &t.text).err())
            .filter(|e| matches!(e.kind(), ErrorKind::SyntaxError(_)))
            .map(|e| templates.diagnostic(&e, None))
            .collect();
        if syntax.is_empty() {
            Err(templates.diagnostics(&e))
        } else {
            Err(syntax)
        }
    }

    /// Diagnostics for an error from compiling all templates together, which
    /// may hold several reports (unknown filters, missing includes).
    fn diagnostics(&self, e: &tera::Error) -> Vec<Diagnostic> {
        let ErrorKind::Msg(text) = e.kind() else {
            return vec![self.diagnostic(e, None)];
        };
        let mut found = Vec::new();
        let mut message = None;
        for line in text.lines() {
            if let Some(m) = line.strip_prefix("error: ") {
                message = Some(m.to_string());
            } else if let (Some(location), Some(m)) = (line.trim().strip_prefix("--> "), &message) {
                let mut parts = location.rsplitn(3, ':');
                let column = parts.next().and_then(|c| c.parse().ok());
                let line_no = parts.next().and_then(|l| l.parse().ok());
                if let (Some(column), Some(line_no), Some(name)) = (column, line_no, parts.next()) {
                    found.push(
                        Diagnostic::error(
                            self.origin(name),
                            Position::new(line_no, column),
                            format!("template error: {m}"),
                        )
                        .with_code(crate::base::codes::TEMPLATE_ERROR)
                        .with_hint(HINT),
                    );
                    message = None;
                }
            }
        }
        if found.is_empty() {
            found.push(self.diagnostic(e, None));
        }
        found
    }

    /// Renders template `name` with `view` as its context, plus `shared`
    /// parts under their names; returns the page's bytes.
    #[cfg(test)]
    pub fn render<T: Serialize>(
        &self,
        name: &str,
        view: &T,
        shared: &[(&'static str, &Shared)],
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::new();
        self.render_into(name, view, shared, &mut out)?;
        Ok(out)
    }

    /// `render`, into `out` (cleared first): a buffer reused page after page
    /// saves allocating and faulting in a fresh one each time.
    pub fn render_into<T: Serialize>(
        &self,
        name: &str,
        view: &T,
        shared: &[(&'static str, &Shared)],
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        out.clear();
        let mut context =
            tera::Context::from_serialize(view).map_err(|e| self.diagnostic(&e, Some(name)))?;
        for (key, value) in shared {
            context.insert_value(*key, value.0.clone());
        }
        // Into bytes: a String would check again that the page is UTF-8.
        self.tera
            .render_to(name, &context, out)
            .map_err(|e| self.diagnostic(&e, Some(name)))
    }

    fn origin(&self, name: &str) -> PathBuf {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("<template {name}>")))
    }

    fn diagnostic(&self, e: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let hint = HINT;
        match e.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                Diagnostic::error(
                    self.origin(report.filename()),
                    Position::new(span.start_line.max(1), span.start_col + 1),
                    format!("template error: {}", report.message()),
                )
                .with_code(crate::base::codes::TEMPLATE_ERROR)
                .with_hint(hint)
            }
            ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
                Diagnostic::error(
                    self.origin(tpl),
                    Position::START,
                    format!("template error: {}", e.kind()),
                )
                .with_code(crate::base::codes::TEMPLATE_ERROR)
                .with_hint("a template cannot extend or include itself, directly or through others")
            }
            ErrorKind::MissingParent { current, parent } => Diagnostic::error(
                self.origin(current),
                Position::START,
                format!("template extends `{parent}`, which does not exist"),
            )
            .with_code(crate::base::codes::TEMPLATE_MISSING)
            .with_hint(
                "fix the name in `{% extends %}` or add the template to themes/<theme>/templates/",
            ),
            ErrorKind::TemplateNotFound(name) => {
                let at = rendering.map_or_else(|| PathBuf::from("themes"), |n| self.origin(n));
                Diagnostic::error(at, Position::START, format!("template `{name}` not found"))
                    .with_code(crate::base::codes::TEMPLATE_MISSING)
                    .with_hint("add it to themes/<theme>/templates/ or fix the name")
            }
            other => {
                let at = rendering.map_or_else(|| PathBuf::from("themes"), |n| self.origin(n));
                Diagnostic::error(at, Position::START, format!("template error: {other}"))
                    .with_code(crate::base::codes::TEMPLATE_ERROR)
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
    let text = text.rendered(state)?;
    let mut values = Vec::new();
    for (key, value) in kwargs.iter() {
        let value = StringInput::from_value(value)?;
        values.push((key.to_string(), value.rendered(state)?.into_owned()));
    }
    let values: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Ok(Value::safe_string(&crate::i18n::fill(&text, &values)))
}

/// `{{ page.title | css_string }}`: the text as a quoted CSS string, for
/// `content:` in a `<style>` element. Every character that could end the
/// string, the rule or the element is written as a CSS escape.
fn css_string(text: &str, _: Kwargs, _: &State) -> TeraResult<Value> {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c.is_alphanumeric() || matches!(c, ' ' | '.' | ',' | ':' | '-' | '_' | '/' | '(' | ')') {
            out.push(c);
        } else {
            // A trailing space ends the escape, so the next character cannot extend it.
            out.push_str(&format!("\\{:x} ", u32::from(c)));
        }
    }
    out.push('"');
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
        let err = t.render("a.html", &V { x: "<&\">" }, &[]).unwrap_err();
        assert_eq!(err.path, PathBuf::from("themes/t/templates/a.html"));
        assert_eq!((err.line, err.column), (2, 4));

        let t = Templates::compile(&[source("a.html", "<p>{{ x }}</p>")]).unwrap();
        assert_eq!(
            text(t.render("a.html", &V { x: "<&\">" }, &[])),
            "<p>&lt;&amp;&quot;&gt;</p>"
        );
        // Shared parts are seen under their names, escaped the same way.
        let t = Templates::compile(&[source("s.html", "{{ x }}/{{ site.title }}")]).unwrap();
        #[derive(Serialize)]
        struct Site {
            title: &'static str,
        }
        let site = Shared::new(&Site { title: "A & B" });
        assert_eq!(
            text(t.render("s.html", &V { x: "x" }, &[("site", &site)])),
            "x/A &amp; B"
        );
    }

    #[test]
    fn trusted_html_is_printed_as_it_is_and_text_is_escaped() {
        struct Trusted(&'static str);
        impl Serialize for Trusted {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize_safe(self.0, s)
            }
        }
        #[derive(Serialize)]
        struct V {
            body: Trusted,
            title: &'static str,
        }
        let t = Templates::compile(&[source("p.html", "{{ body }}|{{ body | safe }}|{{ title }}")])
            .unwrap();
        let v = V {
            body: Trusted("<p>A &amp; B</p>"),
            title: "<A & B>",
        };
        assert_eq!(
            text(t.render("p.html", &v, &[])),
            "<p>A &amp; B</p>|<p>A &amp; B</p>|&lt;A &amp; B&gt;"
        );
        // Elsewhere (JSON, for hashing) it is a plain string.
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"body":"<p>A &amp; B</p>","title":"<A & B>"}"#
        );
    }

    fn text(rendered: Result<Vec<u8>, Diagnostic>) -> String {
        String::from_utf8(rendered.unwrap()).unwrap()
    }

    #[test]
    fn css_string_escapes_what_could_end_the_string_or_the_style() {
        #[derive(Serialize)]
        struct V {
            s: &'static str,
        }
        let t = Templates::compile(&[source("a.html", "{{ s | css_string }}")]).unwrap();
        assert_eq!(
            text(t.render(
                "a.html",
                &V {
                    s: "Terms \"v2\" </style><b>\\ 条款"
                },
                &[]
            )),
            "\"Terms \\22 v2\\22  \\3c /style\\3e \\3c b\\3e \\5c  条款\""
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
        let out = text(t.render(
            "f.html",
            &V {
                s: "On {date} & <b>",
                d: "1 <May>",
            },
            &[],
        ));
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

    fn locations(problems: &[Diagnostic]) -> Vec<String> {
        problems
            .iter()
            .map(|d| format!("{}:{}:{}", d.path.display(), d.line, d.column))
            .collect()
    }

    #[test]
    fn every_template_problem_is_reported_where_it_is() {
        let err = Templates::compile(&[
            source("a.html", "{% if %}"),
            source("b.html", "ok\n{% for %}"),
            source("c.html", "fine"),
        ])
        .err()
        .unwrap();
        assert_eq!(
            locations(&err),
            [
                "themes/t/templates/a.html:1:7",
                "themes/t/templates/b.html:2:8"
            ]
        );

        let err = Templates::compile(&[
            source("b.html", "ok\n{{ x | nofilter }}"),
            source("c.html", "{% include \"missing.html\" %}"),
        ])
        .err()
        .unwrap();
        assert_eq!(
            locations(&err),
            [
                "themes/t/templates/b.html:2:8",
                "themes/t/templates/c.html:1:12"
            ]
        );
        assert_eq!(err[0].message, "template error: Unknown filter `nofilter`");

        let err = Templates::compile(&[source("d.html", "{% extends \"nope.html\" %}")])
            .err()
            .unwrap();
        assert_eq!(locations(&err), ["themes/t/templates/d.html:1:1"]);
        assert_eq!(
            err[0].message,
            "template extends `nope.html`, which does not exist"
        );

        let err = Templates::compile(&[
            source("x.html", "{% include \"y.html\" %}"),
            source("y.html", "{% include \"x.html\" %}"),
        ])
        .err()
        .unwrap();
        assert_eq!(err.len(), 1);
        assert!(
            err[0].path.ends_with("x.html") || err[0].path.ends_with("y.html"),
            "{err:?}"
        );
    }
}
