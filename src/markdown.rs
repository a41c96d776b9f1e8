//! Markdown rendering: pulldown-cmark with tables, footnotes, strikethrough
//! and heading attributes; stable heading anchors with self-links, a table of
//! contents, and the site-absolute links the body makes (for link checking).

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// How to render a body.
#[derive(Debug, Clone)]
pub struct RenderOptions<'a> {
    /// Prefix for site-absolute links (`/` or `/legal/`), from `base_url`.
    pub base_path: &'a str,
    /// Accessible name of each heading's self-link.
    pub anchor_label: &'a str,
    /// Put in front of every id the body defines and every same-page link,
    /// so several bodies can share one page (`zh-` on a combined page).
    pub id_prefix: &'a str,
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every id the body defines (headings and footnotes).
    pub anchors: Vec<String>,
    /// Site-absolute and same-page links, for checking.
    pub links: Vec<Link>,
    /// Problems in the body, such as two headings with the same explicit id.
    pub problems: Vec<BodyProblem>,
}

/// One entry of a table of contents, with the headings below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A link the body makes to a page of this site (`/terms/#x`) or to its own
/// anchors (`#x`), as written, with the byte offset in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: String,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyProblem {
    pub offset: usize,
    pub message: String,
    pub hint: String,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

struct Heading {
    level: HeadingLevel,
    explicit_id: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, Option<String>)>,
    text: String,
    offset: usize,
}

/// Renders `body` to HTML.
pub fn render(body: &str, options: &RenderOptions<'_>) -> Rendered {
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(body, parser_options())
        .into_offset_iter()
        .collect();
    let mut problems = Vec::new();

    // Pass 1: headings and footnote labels, so ids can be allocated before any is written.
    let mut headings: Vec<Heading> = Vec::new();
    let mut in_heading = false;
    let mut footnote_labels: Vec<String> = Vec::new();
    for (event, range) in &events {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                in_heading = true;
                headings.push(Heading {
                    level: *level,
                    explicit_id: id.as_ref().map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    attrs: attrs
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.as_ref().map(|v| v.to_string())))
                        .collect(),
                    text: String::new(),
                    offset: range.start,
                });
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if in_heading => {
                if let Some(h) = headings.last_mut() {
                    h.text.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if in_heading => {
                if let Some(h) = headings.last_mut() {
                    h.text.push(' ');
                }
            }
            Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label))
                if !footnote_labels.iter().any(|l| l == label.as_ref()) =>
            {
                footnote_labels.push(label.to_string());
            }
            _ => {}
        }
    }

    // Explicit ids win; a repeated explicit id is the author's error.
    let mut taken: HashSet<String> = HashSet::new();
    for h in &headings {
        if let Some(id) = &h.explicit_id {
            if !taken.insert(id.clone()) {
                problems.push(BodyProblem {
                    offset: h.offset,
                    message: format!("the anchor `#{id}` is given to more than one heading"),
                    hint: "give each heading its own `{#id}`".to_string(),
                });
            }
        }
    }
    let heading_ids: Vec<String> = headings
        .iter()
        .map(|h| match &h.explicit_id {
            Some(id) => id.clone(),
            None => unique(slugify(&h.text), &mut taken),
        })
        .collect();
    let footnote_ids: HashMap<String, (usize, String)> = footnote_labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let id = unique(format!("fn-{}", slugify(label)), &mut taken);
            (label.clone(), (i + 1, id))
        })
        .collect();

    // Pass 2: write HTML, replacing headings, footnotes and site-absolute links.
    let mut links = Vec::new();
    let mut heading_index = 0;
    let mut current_heading_id = String::new();
    let mut footnote_ref_counts: HashMap<String, usize> = HashMap::new();
    let out = events.into_iter().map(|(event, range)| match event {
        Event::Start(Tag::Heading { level, .. }) => {
            let h = &headings[heading_index];
            let id = &heading_ids[heading_index];
            heading_index += 1;
            current_heading_id = id.clone();
            let mut tag = format!("<{level} id=\"{}{}\"", escape(options.id_prefix), escape(id));
            if !h.classes.is_empty() {
                tag.push_str(&format!(" class=\"{}\"", escape(&h.classes.join(" "))));
            }
            for (k, v) in &h.attrs {
                if k != "id" && k != "class" && is_attribute_name(k) {
                    tag.push_str(&format!(" {k}=\"{}\"", escape(v.as_deref().unwrap_or(""))));
                }
            }
            tag.push('>');
            Event::Html(tag.into())
        }
        Event::End(TagEnd::Heading(level)) => Event::Html(
            format!(
                " <a class=\"anchor\" href=\"#{id}\" aria-label=\"{label}\">§</a></{level}>\n",
                id = escape(&format!("{}{current_heading_id}", options.id_prefix)),
                label = escape(options.anchor_label),
            )
            .into(),
        ),
        Event::FootnoteReference(label) => {
            let (number, id) = &footnote_ids[label.as_ref()];
            let id = &format!("{}{id}", options.id_prefix);
            let count = footnote_ref_counts.entry(label.to_string()).or_insert(0);
            *count += 1;
            let ref_id = if *count == 1 {
                format!("{id}-ref")
            } else {
                format!("{id}-ref-{count}")
            };
            Event::Html(
                format!(
                    "<sup class=\"footnote-ref\"><a href=\"#{id}\" id=\"{ref_id}\">{number}</a></sup>",
                    id = escape(id),
                    ref_id = escape(&ref_id)
                )
                .into(),
            )
        }
        Event::Start(Tag::FootnoteDefinition(label)) => {
            let (number, id) = &footnote_ids[label.as_ref()];
            let id = &format!("{}{id}", options.id_prefix);
            Event::Html(
                format!(
                    "<div class=\"footnote\" id=\"{id}\"><span class=\"footnote-number\">{number}</span>",
                    id = escape(id)
                )
                .into(),
            )
        }
        Event::End(TagEnd::FootnoteDefinition) => Event::Html("</div>\n".into()),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = site_link(dest_url, range.start, options, &mut links);
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = site_link(dest_url, range.start, options, &mut links);
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => other,
    });
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out);

    let mut anchors: Vec<String> = taken
        .into_iter()
        .map(|id| format!("{}{id}", options.id_prefix))
        .collect();
    anchors.sort();
    let flat: Vec<(u8, String, String)> = headings
        .iter()
        .zip(&heading_ids)
        .map(|(h, id)| {
            let id = format!("{}{id}", options.id_prefix);
            (h.level as u8, id, h.text.trim().to_string())
        })
        .collect();
    Rendered {
        html,
        toc: nest(&flat),
        anchors,
        links,
        problems,
    }
}

/// Records a link for checking and puts the base path in front of site-absolute ones.
fn site_link<'a>(
    dest: CowStr<'a>,
    offset: usize,
    options: &RenderOptions<'_>,
    links: &mut Vec<Link>,
) -> CowStr<'a> {
    if let Some(fragment) = dest.strip_prefix('#') {
        links.push(Link {
            target: dest.to_string(),
            offset,
        });
        if options.id_prefix.is_empty() {
            dest
        } else {
            format!("#{}{fragment}", options.id_prefix).into()
        }
    } else if dest.starts_with('/') && !dest.starts_with("//") {
        links.push(Link {
            target: dest.to_string(),
            offset,
        });
        format!("{}{}", options.base_path, &dest[1..]).into()
    } else {
        dest
    }
}

/// Builds the nested table of contents from headings in document order.
fn nest(flat: &[(u8, String, String)]) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for (level, id, title) in flat {
        let entry = TocEntry {
            level: *level,
            id: id.clone(),
            title: title.clone(),
            children: Vec::new(),
        };
        // Descend while the last entry at this depth is a shallower heading.
        let mut siblings = &mut roots;
        while siblings.last().is_some_and(|last| last.level < *level) {
            siblings = &mut siblings.last_mut().expect("checked above").children;
        }
        siblings.push(entry);
    }
    roots
}

/// An anchor from heading text: lowercase, letters and digits of every
/// script kept (so `数据保留` stays readable), everything else a single `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// `base`, or `base-1`, `base-2`... whichever is free first; marks it taken.
fn unique(base: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    (1..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| taken.insert(candidate.clone()))
        .expect("an unbounded range always yields a free id")
}

fn is_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: RenderOptions<'static> = RenderOptions {
        base_path: "/",
        anchor_label: "Link to this section",
        id_prefix: "",
    };

    fn ids(r: &Rendered) -> Vec<String> {
        fn walk(entries: &[TocEntry], out: &mut Vec<String>) {
            for e in entries {
                out.push(e.id.clone());
                walk(&e.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&r.toc, &mut out);
        out
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("1. Who We Are"), "1-who-we-are");
        assert_eq!(slugify("数据保留"), "数据保留");
        assert_eq!(slugify("第一条、总则"), "第一条-总则");
        assert_eq!(slugify("  Ünïcode & Co. "), "ünïcode-co");
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn duplicate_headings_get_numbered_and_explicit_ids_win() {
        let body =
            "## Scope\n\n## Scope\n\n## Retention {#data-retention}\n\n## Scope\n\n## 数据保留\n";
        let r = render(body, &OPTIONS);
        assert_eq!(
            ids(&r),
            ["scope", "scope-1", "data-retention", "scope-2", "数据保留"]
        );
        assert!(r.html.contains(
            "<h2 id=\"data-retention\">Retention <a class=\"anchor\" href=\"#data-retention\""
        ));
        assert!(r.problems.is_empty());
    }

    #[test]
    fn generated_ids_avoid_explicit_ones_declared_later() {
        let r = render("## Scope\n\n## Other {#scope}\n", &OPTIONS);
        assert_eq!(ids(&r), ["scope-1", "scope"]);
    }

    #[test]
    fn repeated_explicit_id_is_a_problem() {
        let r = render("## A {#x}\n\n## B {#x}\n", &OPTIONS);
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].offset, 11);
    }

    #[test]
    fn toc_nests_by_level() {
        let r = render("## A\n### A1\n### A2\n## B\n#### B1\n", &OPTIONS);
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].children.len(), 2);
        assert_eq!(r.toc[1].children[0].id, "b1");
    }

    #[test]
    fn collects_site_links_and_prefixes_base_path() {
        let body = "See [terms](/terms/#acceptance), [ext](https://x.example/), [here](#a)\nand ![logo](/static/logo.png).\n";
        let r = render(
            body,
            &RenderOptions {
                base_path: "/legal/",
                ..OPTIONS
            },
        );
        let targets: Vec<&str> = r.links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(targets, ["/terms/#acceptance", "#a", "/static/logo.png"]);
        assert_eq!(r.links[0].offset, 4);
        assert!(r.html.contains("href=\"/legal/terms/#acceptance\""));
        assert!(r.html.contains("src=\"/legal/static/logo.png\""));
        assert!(r.html.contains("href=\"https://x.example/\""));
    }

    #[test]
    fn footnotes_tables_and_strikethrough() {
        let body = "Text[^1] and ~~old~~.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: A note.\n";
        let r = render(body, &OPTIONS);
        assert!(
            r.html.contains("<a href=\"#fn-1\" id=\"fn-1-ref\">1</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<div class=\"footnote\" id=\"fn-1\">"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("<table>"));
        assert!(r.anchors.contains(&"fn-1".to_string()));
    }

    #[test]
    fn id_prefix_applies_to_every_id_and_same_page_link() {
        let body = "## Scope {#scope}\n\nSee [scope](#scope), [terms](/terms/#scope) and a note.[^1]\n\n[^1]: Note.\n";
        let r = render(
            body,
            &RenderOptions {
                id_prefix: "zh-",
                ..OPTIONS
            },
        );
        assert!(r.html.contains("<h2 id=\"zh-scope\">"), "{}", r.html);
        assert!(
            r.html.contains("href=\"#zh-scope\">§</a>")
                || r.html.contains("href=\"#zh-scope\" aria-label")
        );
        assert!(r.html.contains("<a href=\"#zh-scope\">scope</a>"));
        assert!(r.html.contains("<a href=\"/terms/#scope\">terms</a>"));
        assert!(r.html.contains("id=\"zh-fn-1\""));
        assert!(r.html.contains("href=\"#zh-fn-1\""));
        assert_eq!(ids(&r), ["zh-scope"]);
        assert_eq!(r.anchors, ["zh-fn-1", "zh-scope"]);
    }

    #[test]
    fn heading_text_is_escaped_in_attributes() {
        let r = render("## A \"quoted\" <b>bold</b> & more\n", &OPTIONS);
        assert_eq!(ids(&r), ["a-quoted-bold-more"]);
        assert_eq!(r.toc[0].title, "A \"quoted\" bold & more");
    }
}
