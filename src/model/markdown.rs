//! Markdown rendering: pulldown-cmark with tables, footnotes, strikethrough
//! and heading attributes; stable heading anchors with self-links, a table of
//! contents, and the site-absolute links the body makes (for link checking).

use std::collections::{BTreeMap, HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::base::layout::is_under;
use crate::model::urls::{ContentIndex, Resolved};

/// How to render a body: everything besides the Markdown that changes its
/// HTML (so it keys the body cache).
#[derive(Debug, Clone, Hash)]
pub struct RenderOptions<'a> {
    /// Prefix for site-absolute links (`/` or `/legal/`), from `base_url`.
    pub base_path: &'a str,
    /// Accessible name of each heading's self-link; empty for no self-links.
    pub anchor_label: &'a str,
    /// Put in front of every id the body defines and every same-page link,
    /// so several bodies can share one page (`zh-` on a combined page).
    pub id_prefix: &'a str,
    /// Ids the page around the body uses (`main`, `toc-title`): generated
    /// ids avoid them and explicit ones may not take them.
    pub reserved_ids: &'a [String],
    /// What relative links between source files reach (`../terms/`), from
    /// the body's own file; none where no file is behind the text.
    pub sources: Option<SourceLinks<'a>>,
    /// Site-absolute paths of the host outside the site (`/support`),
    /// written as they are and not checked.
    pub host_paths: &'a [String],
    /// The level the body's highest headings get (the others keep their
    /// distance to it): 2 below the page's `<h1>`, 3 inside a combined
    /// page's language section. So a body written with `#` headings cannot
    /// add a second `<h1>`, and heading levels never skip one.
    pub top_heading: u8,
}

/// Where a body's file is, for its relative links (see `ContentIndex`).
#[derive(Debug, Clone, Copy, Hash)]
pub struct SourceLinks<'a> {
    pub index: &'a ContentIndex,
    /// The file's folder under `content/` (`privacy`, `legal/dpa`).
    pub folder: &'a str,
    /// The language of the page the body is on.
    pub language: &'a str,
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
/// anchors (`#x`), with the byte offset in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// As written in the source (what messages quote).
    pub written: String,
    /// What it reaches, as a site path (`/terms/#x`) or `#x`; for a
    /// relative link between sources that reaches nothing, the path under
    /// `content/` it names.
    pub target: Result<String, String>,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyProblem {
    pub offset: usize,
    pub message: String,
    pub hint: String,
}

/// Gives every heading a level below `top` (within h1..h6) that keeps the
/// outline the body's headings make, without skipping a level: the first
/// heading, and any heading as high as the highest so far, gets `top`; a
/// heading deeper than the one it follows gets one level more than that
/// heading's (so `#` then `####` becomes h2 then h3); one that goes back up
/// gets the level of the heading it is a sibling of.
fn shift_headings(events: &mut [(Event<'_>, std::ops::Range<usize>)], top: u8) {
    let top = usize::from(top.clamp(1, 6));
    // The open headings: (level written, level given).
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut current = top;
    for (event, _) in events.iter_mut() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let written = *level as usize;
                while open.last().is_some_and(|&(w, _)| w >= written) {
                    open.pop();
                }
                current = open.last().map_or(top, |&(_, given)| (given + 1).min(6));
                open.push((written, current));
                *level = HeadingLevel::try_from(current).unwrap_or(*level);
            }
            Event::End(TagEnd::Heading(level)) => {
                *level = HeadingLevel::try_from(current).unwrap_or(*level);
            }
            _ => {}
        }
    }
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
    attrs: Vec<(String, String)>,
    text: String,
    offset: usize,
}

/// Hands out the ids of one body: explicit ids first, then generated ones
/// that avoid them, the page's own ids (`reserved`) and each other.
struct Ids<'a> {
    taken: HashSet<String>,
    reserved: &'a [String],
    /// The next number to try after `base`, so repeats stay linear.
    next: HashMap<String, usize>,
}

impl<'a> Ids<'a> {
    fn new(reserved: &'a [String]) -> Self {
        Self {
            taken: HashSet::new(),
            reserved,
            next: HashMap::new(),
        }
    }

    fn is_free(&self, id: &str) -> bool {
        !self.taken.contains(id) && !self.reserved.iter().any(|r| r == id)
    }

    /// Claims an author's id; false if it is already used.
    fn claim(&mut self, id: &str) -> bool {
        self.is_free(id) && self.taken.insert(id.to_string())
    }

    /// `base`, or `base-1`, `base-2`... whichever is free first.
    fn allocate(&mut self, base: String) -> String {
        if self.claim(&base) {
            return base;
        }
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if self.claim(&candidate) {
                self.next.insert(base, n);
                return candidate;
            }
        }
    }
}

/// A footnote: its number, the id of its text, and the ids of its references.
struct Footnote {
    number: usize,
    id: String,
    ref_ids: Vec<String>,
}

/// Renders `body` to HTML.
pub fn render(body: &str, options: &RenderOptions<'_>) -> Rendered {
    render_and_split(body, options, false).0
}

/// Renders `body` to HTML and, if `split`, into its blocks as `blocks` gives
/// them with no heading self-links, from one parse (a redline compares
/// versions without their self-links).
pub fn render_and_split(
    body: &str,
    options: &RenderOptions<'_>,
    split: bool,
) -> (Rendered, Option<Vec<Block>>) {
    let t = transform(body, options);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    if !split {
        pulldown_cmark::html::push_html(&mut html, t.events.into_iter());
        return (Rendered { html, ..t.rendered }, None);
    }
    // The page is written a block at a time, and the blocks' HTML is taken
    // from it rather than written again.
    let plain: BTreeMap<usize, &Event<'_>> =
        t.plain_heading_ends.iter().map(|(i, e)| (*i, e)).collect();
    let blocks = split_blocks(&t.parsed, &t.events, &plain, false, Some(&mut html));
    (Rendered { html, ..t.rendered }, Some(blocks))
}

/// What kind of block a piece of a document is, for lining versions up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Heading(u8),
    /// An item of the `list`-th top-level list; `ordered` is its start number.
    Item {
        list: usize,
        ordered: Option<u64>,
    },
    /// A row of the `table`-th table; `head` for the header row.
    Row {
        table: usize,
        head: bool,
    },
    /// A paragraph, quote, code block, footnote, rule...
    Other,
}

/// One block of a document, rendered as in a page, with its plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// The block's HTML, its own element included (`<p>..</p>`, `<li>..</li>`,
    /// `<tr>..</tr>`); lists and tables around items and rows are not.
    pub html: String,
    /// The words of the block, without markup; left empty by
    /// `render_and_split` (a redline works on the HTML), set by `blocks`.
    pub text: String,
}

/// Splits `body` into its blocks (headings, paragraphs, list items, table
/// rows, footnotes...), rendered as `render` renders them.
pub fn blocks(body: &str, options: &RenderOptions<'_>) -> Vec<Block> {
    let t = transform(body, options);
    split_blocks(&t.parsed, &t.events, &BTreeMap::new(), true, None)
}

/// The blocks of a body from its events as parsed and as written, with
/// their text if `with_text`. `plain` replaces, in the blocks, the heading
/// ends written with a self-link. With `page`, the body's HTML is written
/// there as it goes (all of it, self-links included), and each block's HTML
/// is its part of the page where they are the same.
fn split_blocks(
    parsed: &[(Event<'_>, std::ops::Range<usize>)],
    written: &[Event<'_>],
    plain: &BTreeMap<usize, &Event<'_>>,
    with_text: bool,
    mut page: Option<&mut String>,
) -> Vec<Block> {
    let text_of = |events: &[&Event<'_>]| {
        if with_text {
            text_of(events)
        } else {
            String::new()
        }
    };
    // The HTML of written[a..=b], added to the page when there is one.
    let write = |page: &mut Option<&mut String>, a: usize, b: usize| -> String {
        let events = written[a..=b].iter().cloned();
        match page {
            Some(page) => {
                let start = page.len();
                pulldown_cmark::html::push_html(page, events);
                page[start..].to_string()
            }
            None => {
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, events);
                html
            }
        }
    };
    let parsed: Vec<&Event<'_>> = parsed.iter().map(|(e, _)| e).collect();
    let mut blocks = Vec::new();
    let (mut lists, mut tables) = (0, 0);
    let mut i = 0;
    while i < parsed.len() {
        let end = matching_end(&parsed, i);
        match parsed[i] {
            Event::Start(Tag::List(start)) => {
                lists += 1;
                if let Some(page) = page.as_deref_mut() {
                    pulldown_cmark::html::push_html(page, written[i..=i].iter().cloned());
                }
                for (a, b) in children(&parsed, i, end) {
                    blocks.push(Block {
                        kind: BlockKind::Item {
                            list: lists,
                            ordered: *start,
                        },
                        html: write(&mut page, a, b),
                        text: text_of(&parsed[a..=b]),
                    });
                }
                if let Some(page) = page.as_deref_mut() {
                    pulldown_cmark::html::push_html(page, written[end..=end].iter().cloned());
                }
            }
            Event::Start(Tag::Table(aligns)) => {
                tables += 1;
                if let Some(page) = page.as_deref_mut() {
                    pulldown_cmark::html::push_html(page, written[i..=end].iter().cloned());
                }
                for (a, b) in children(&parsed, i, end) {
                    let head = matches!(parsed[a], Event::Start(Tag::TableHead));
                    let mut html = String::from("<tr>");
                    let mut cells = Vec::new();
                    for (n, (c, d)) in children(&parsed, a, b).into_iter().enumerate() {
                        let cell = if head { "th" } else { "td" };
                        let align = match aligns.get(n) {
                            Some(pulldown_cmark::Alignment::Left) => " style=\"text-align: left\"",
                            Some(pulldown_cmark::Alignment::Center) => {
                                " style=\"text-align: center\""
                            }
                            Some(pulldown_cmark::Alignment::Right) => {
                                " style=\"text-align: right\""
                            }
                            _ => "",
                        };
                        html.push_str(&format!("<{cell}{align}>"));
                        html.push_str(&html_of(&written[c + 1..d]));
                        html.push_str(&format!("</{cell}>"));
                        cells.push(text_of(&parsed[c..=d]));
                    }
                    html.push_str("</tr>");
                    blocks.push(Block {
                        kind: BlockKind::Row {
                            table: tables,
                            head,
                        },
                        html,
                        text: if with_text {
                            cells.join(" | ")
                        } else {
                            String::new()
                        },
                    });
                }
            }
            event => {
                let html = write(&mut page, i, end);
                // A heading written with a self-link is written again without.
                let html = if plain.range(i..=end).next().is_some() {
                    let mut plain_html = String::new();
                    pulldown_cmark::html::push_html(
                        &mut plain_html,
                        (i..=end).map(|e| plain.get(&e).map_or(&written[e], |p| *p).clone()),
                    );
                    plain_html
                } else {
                    html
                };
                blocks.push(Block {
                    kind: match event {
                        Event::Start(Tag::Heading { level, .. }) => {
                            BlockKind::Heading(*level as u8)
                        }
                        _ => BlockKind::Other,
                    },
                    html,
                    text: text_of(&parsed[i..=end]),
                });
            }
        }
        i = end + 1;
    }
    blocks
}

/// The index of the event that closes the one at `start` (itself if it opens nothing).
fn matching_end(events: &[&Event<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, event) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 {
            return i;
        }
    }
    events.len() - 1
}

/// The (start, end) of each element directly inside the one from `open` to `close`.
fn children(events: &[&Event<'_>], open: usize, close: usize) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = open + 1;
    while i < close {
        let end = matching_end(events, i);
        found.push((i, end));
        i = end + 1;
    }
    found
}

fn html_of(events: &[Event<'_>]) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    html
}

/// The words of some events, without markup: text and code, breaks as
/// spaces, every run of white space one space, none at the ends.
fn text_of(events: &[&Event<'_>]) -> String {
    let mut words = Words::default();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => words.push(t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::Start(Tag::List(_))
            | Event::End(TagEnd::Paragraph | TagEnd::Item) => words.space = true,
            // The words of raw HTML count too (a table written in HTML).
            Event::Html(html) | Event::InlineHtml(html) => {
                // Block tags separate words; inline ones (`<b>`) do not.
                let block = matches!(event, Event::Html(_));
                let mut rest: &str = html;
                while !rest.is_empty() {
                    let text_end = rest.find('<').unwrap_or(rest.len());
                    words.push(&rest[..text_end]);
                    rest = &rest[text_end..];
                    if rest.is_empty() {
                        break;
                    }
                    match rest.find('>') {
                        Some(close) => {
                            rest = &rest[close + 1..];
                            if block {
                                words.space = true;
                            }
                        }
                        // An unclosed tag hides the rest.
                        None => break,
                    }
                }
            }
            _ => {}
        }
    }
    words.text
}

/// Whether the UTF-8 character at `i` is white space (as
/// `char::is_whitespace` says), and its length in bytes.
fn white_space_at(bytes: &[u8], i: usize) -> (bool, usize) {
    let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match bytes[i] {
        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => (true, 1),
        0..=0x7F => (false, 1),
        // U+0085, U+00A0.
        0xC2 => (matches!(next(1), 0x85 | 0xA0), 2),
        0xC0..=0xDF => (false, 2),
        // U+1680; U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F; U+3000.
        0xE1 => (next(1) == 0x9A && next(2) == 0x80, 3),
        0xE2 => (
            match next(1) {
                0x80 => matches!(next(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
                0x81 => next(2) == 0x9F,
                _ => false,
            },
            3,
        ),
        0xE3 => (next(1) == 0x80 && next(2) == 0x80, 3),
        0xE0..=0xEF => (false, 3),
        _ => (false, 4),
    }
}

/// Text with white space collapsed as it is added.
#[derive(Default)]
struct Words {
    text: String,
    /// A space is due before the next word.
    space: bool,
}

impl Words {
    fn push(&mut self, s: &str) {
        // Most text is one run of printable ASCII with single spaces inside.
        let bytes = s.as_bytes();
        let plain = bytes.first().is_some_and(|&b| b != b' ')
            && bytes.last().is_some_and(|&b| b != b' ')
            && bytes.iter().all(|&b| (0x20..0x7F).contains(&b))
            && memchr::memmem::find(bytes, b"  ").is_none();
        if plain {
            self.word(s);
            return;
        }
        // Byte by byte, without decoding characters: the few white-space
        // characters beyond ASCII are told by their UTF-8 bytes.
        let (mut i, mut word_start) = (0, 0);
        while i < bytes.len() {
            let (white, len) = white_space_at(bytes, i);
            if white {
                self.word(&s[word_start..i]);
                self.space = true;
                word_start = i + len;
            }
            i += len;
        }
        self.word(&s[word_start..]);
    }

    fn word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        if self.space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.space = false;
        self.text.push_str(word);
    }
}

/// A body's events as parsed and as they are written (with clause's ids,
/// heading links, footnotes and links), and what was learnt on the way.
struct Transformed<'a> {
    /// As parsed, with byte ranges; one for each written event.
    parsed: Vec<(Event<'a>, std::ops::Range<usize>)>,
    events: Vec<Event<'a>>,
    /// The heading ends written with a self-link, and the same without it.
    plain_heading_ends: Vec<(usize, Event<'a>)>,
    /// Everything but the HTML.
    rendered: Rendered,
}

fn transform<'a>(body: &'a str, options: &RenderOptions<'_>) -> Transformed<'a> {
    let mut events: Vec<(Event<'a>, std::ops::Range<usize>)> =
        Parser::new_ext(body, parser_options())
            .into_offset_iter()
            .collect();
    shift_headings(&mut events, options.top_heading);
    let mut problems = Vec::new();
    let mut problem = |offset: usize, message: String, hint: &str| {
        problems.push(BodyProblem {
            offset,
            message,
            hint: hint.to_string(),
        })
    };

    // Pass 1: headings and footnotes, so ids can be allocated before any is written.
    let mut headings: Vec<Heading> = Vec::new();
    let mut in_heading = false;
    // Footnote labels match without case, as pulldown-cmark matches them.
    let mut footnote_order: Vec<String> = Vec::new();
    let mut in_order: HashSet<String> = HashSet::new();
    let mut reference_counts: HashMap<String, usize> = HashMap::new();
    let mut defined: HashSet<String> = HashSet::new();
    for (i, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                in_heading = true;
                for (key, value) in attrs {
                    if value.is_none() {
                        problem(
                            range.start,
                            format!("heading attribute `{key}` has no value"),
                            "an id cannot contain spaces: write `{#words-joined-by-dashes}`; other attributes are `key=value`",
                        );
                    }
                }
                headings.push(Heading {
                    level: *level,
                    explicit_id: id.as_ref().map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    attrs: attrs
                        .iter()
                        .filter_map(|(k, v)| Some((k.to_string(), v.as_ref()?.to_string())))
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
            Event::FootnoteReference(label) => {
                let key = label.to_lowercase();
                if in_order.insert(key.clone()) {
                    footnote_order.push(key.clone());
                }
                *reference_counts.entry(key).or_insert(0) += 1;
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let key = label.to_lowercase();
                if !defined.insert(key.clone()) {
                    problem(
                        range.start,
                        format!("footnote `[^{label}]` is defined more than once"),
                        "keep one definition, or give the other a label of its own",
                    );
                }
                if in_order.insert(key.clone()) {
                    footnote_order.push(key);
                }
            }
            // pulldown-cmark leaves a reference to an undefined footnote as
            // the text `[`, `^label`, `]`.
            Event::Text(t) if t.starts_with('^') && t.len() > 1 => {
                let before = i.checked_sub(1).and_then(|j| events.get(j));
                let after = events.get(i + 1);
                let opens = matches!(before, Some((Event::Text(b), _)) if b.ends_with('['));
                let closes = matches!(after, Some((Event::Text(a), _)) if a.starts_with(']'));
                if opens && closes {
                    problem(
                        range.start.saturating_sub(1),
                        format!("footnote `[{t}]` is never defined"),
                        "add a line such as `[^label]: The note.` below the text",
                    );
                }
            }
            _ => {}
        }
    }

    // Explicit ids win; a repeated one, or one the page itself uses, is the author's error.
    let mut ids = Ids::new(options.reserved_ids);
    for h in &headings {
        if let Some(id) = &h.explicit_id {
            if !ids.claim(id) {
                let message = if ids.reserved.contains(id) {
                    format!("the anchor `#{id}` is used by the page itself")
                } else {
                    format!("the anchor `#{id}` is given to more than one heading")
                };
                problem(h.offset, message, "give each heading its own `{#id}`");
            }
        }
    }
    let heading_ids: Vec<String> = headings
        .iter()
        .map(|h| match &h.explicit_id {
            Some(id) => id.clone(),
            None => ids.allocate(slugify(&h.text)),
        })
        .collect();
    let footnotes: HashMap<String, Footnote> = footnote_order
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let id = ids.allocate(format!("fn-{}", footnote_slug(key)));
            let ref_ids = (0..reference_counts.get(key).copied().unwrap_or(0))
                .map(|_| ids.allocate(format!("{id}-ref")))
                .collect();
            let footnote = Footnote {
                number: i + 1,
                id,
                ref_ids,
            };
            (key.clone(), footnote)
        })
        .collect();

    // Pass 2: write HTML, replacing headings, footnotes and site-absolute links.
    let prefix = options.id_prefix;
    let mut links = Vec::new();
    let mut heading_index = 0;
    let mut current_heading_id = String::new();
    let mut references_written: HashMap<String, usize> = HashMap::new();
    let mut definitions_written: HashSet<String> = HashSet::new();
    let written: Vec<Event<'a>> = events.iter().cloned().map(|(event, range)| match event {
        Event::Start(Tag::Heading { level, .. }) => {
            let h = &headings[heading_index];
            let id = &heading_ids[heading_index];
            heading_index += 1;
            current_heading_id = id.clone();
            let mut tag = format!("<{level} id=\"{}{}\"", escape(prefix), escape(id));
            if !h.classes.is_empty() {
                tag.push_str(&format!(" class=\"{}\"", escape(&h.classes.join(" "))));
            }
            for (k, v) in &h.attrs {
                if k != "id" && k != "class" && is_attribute_name(k) {
                    tag.push_str(&format!(" {k}=\"{}\"", escape(v)));
                }
            }
            tag.push('>');
            Event::Html(tag.into())
        }
        Event::End(TagEnd::Heading(level)) if options.anchor_label.is_empty() => {
            Event::Html(format!("</{level}>\n").into())
        }
        Event::End(TagEnd::Heading(level)) => Event::Html(
            format!(
                " <a class=\"anchor\" href=\"#{id}\" aria-label=\"{label}\">§</a></{level}>\n",
                id = escape(&format!("{prefix}{current_heading_id}")),
                label = escape(options.anchor_label),
            )
            .into(),
        ),
        Event::FootnoteReference(label) => {
            let key = label.to_lowercase();
            let note = &footnotes[&key];
            let nth = references_written.entry(key).or_insert(0);
            let ref_id = &note.ref_ids[*nth];
            *nth += 1;
            Event::Html(
                format!(
                    "<sup class=\"footnote-ref\"><a href=\"#{prefix}{id}\" id=\"{prefix}{ref_id}\">{number}</a></sup>",
                    prefix = escape(prefix),
                    id = escape(&note.id),
                    ref_id = escape(ref_id),
                    number = note.number,
                )
                .into(),
            )
        }
        Event::Start(Tag::FootnoteDefinition(label)) => {
            let key = label.to_lowercase();
            let note = &footnotes[&key];
            // A second definition of a label gets no id, so ids stay unique.
            let id = if definitions_written.insert(key) {
                format!(" id=\"{}{}\"", escape(prefix), escape(&note.id))
            } else {
                String::new()
            };
            Event::Html(
                format!(
                    "<div class=\"footnote\"{id}><span class=\"footnote-number\">{}</span>",
                    note.number
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
            // An email autolink (`<legal@example.com>`) is written by the
            // HTML writer as `mailto:`: it is no link into the site.
            let dest_url = if link_type == LinkType::Email {
                dest_url
            } else {
                site_link(dest_url, range.start, options, &mut links)
            };
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
        // A line break inside a paragraph is a space, however the source
        // was wrapped: two versions wrapped differently are the same text.
        Event::SoftBreak => Event::Text(" ".into()),
        other => other,
    }).collect();

    let mut anchors: Vec<String> = ids
        .taken
        .into_iter()
        .map(|id| format!("{prefix}{id}"))
        .collect();
    // The authors' own anchors in raw HTML (`<a name="x">`, `id="x"`) are
    // link targets too, as they are on GitHub; they are written as they are.
    for (event, range) in &events {
        match event {
            Event::Start(Tag::HtmlBlock) => html_anchors(&body[range.clone()], &mut anchors),
            Event::InlineHtml(html) => html_anchors(html, &mut anchors),
            _ => {}
        }
    }
    anchors.sort();
    anchors.dedup();
    let flat: Vec<(u8, String, String)> = headings
        .iter()
        .zip(&heading_ids)
        .map(|(h, id)| {
            (
                h.level as u8,
                format!("{prefix}{id}"),
                h.text.trim().to_string(),
            )
        })
        .collect();
    let plain_heading_ends = if options.anchor_label.is_empty() {
        Vec::new()
    } else {
        events
            .iter()
            .enumerate()
            .filter_map(|(i, (event, _))| match event {
                Event::End(TagEnd::Heading(level)) => {
                    Some((i, Event::Html(format!("</{level}>\n").into())))
                }
                _ => None,
            })
            .collect()
    };
    Transformed {
        parsed: events,
        events: written,
        plain_heading_ends,
        rendered: Rendered {
            html: String::new(),
            toc: nest(&flat),
            anchors,
            links,
            problems,
        },
    }
}

/// Records a link for checking and puts the base path in front of
/// site-absolute ones; relative links between source files become the
/// site-absolute links they mean. A link that already starts with the base path
/// (`/legal/terms/` under `https://example.com/legal/`) is into the site
/// too: checked, and written as it is. Links to the host's own pages
/// outside the site (`host_paths`) are written as they are, unchecked.
fn site_link<'a>(
    dest: CowStr<'a>,
    offset: usize,
    options: &RenderOptions<'_>,
    links: &mut Vec<Link>,
) -> CowStr<'a> {
    let mut record = |target: Result<String, String>| {
        links.push(Link {
            written: dest.to_string(),
            target,
            offset,
        })
    };
    if let Some(fragment) = dest.strip_prefix('#') {
        record(Ok(dest.to_string()));
        if options.id_prefix.is_empty() {
            dest
        } else {
            format!("#{}{fragment}", options.id_prefix).into()
        }
    } else if dest.starts_with('/') && !dest.starts_with("//") {
        if let Some(rest) = within_base_path(&dest, options.base_path) {
            record(Ok(format!("/{rest}")));
            dest
        } else if options.host_paths.iter().any(|p| is_under(&dest, p)) {
            dest
        } else {
            record(Ok(dest.to_string()));
            format!("{}{}", options.base_path, &dest[1..]).into()
        }
    } else {
        let resolved = options
            .sources
            .and_then(|s| s.index.resolve(s.folder, s.language, &dest));
        match resolved {
            // A link between source files, as written for GitHub: to the
            // page it means, from every page that shows the text.
            Some(Resolved::Page(target)) => {
                let href = format!("{}{}", options.base_path, &target[1..]);
                record(Ok(target));
                href.into()
            }
            // Into `content/`, where nothing is: broken on every page.
            Some(Resolved::Nothing(path)) => {
                record(Err(path));
                dest
            }
            None => dest,
        }
    }
}

/// What follows the base path in `dest` (`terms/` in `/legal/terms/` with
/// base path `/legal/`; `` for `/legal`), when the base path is not `/`.
fn within_base_path<'d>(dest: &'d str, base_path: &str) -> Option<&'d str> {
    if base_path == "/" {
        return None;
    }
    dest.strip_prefix(base_path).or_else(|| {
        let rest = dest.strip_prefix(base_path.trim_end_matches('/'))?;
        (rest.is_empty() || rest.starts_with(['?', '#'])).then_some(rest)
    })
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

/// A heading's anchor, by GitHub's rule, so a link that works in GitHub's
/// preview of a policy works on the site: lower case; letters, marks,
/// decimal digits, `_`, `-` and spaces kept, everything else removed; each
/// space becomes `-` (`What's new & next` is `whats-new--next`). A heading
/// with nothing left gets `section` (GitHub leaves it without an anchor).
/// Part of the published record: `heading_anchors_are_frozen` holds it.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars() {
        // ASCII (most headings) without the Unicode tables: of it, a slug
        // keeps letters (lowercased), digits, `_` and `-`, and spaces as `-`.
        if c.is_ascii() {
            match c {
                ' ' => slug.push('-'),
                'a'..='z' | '0'..='9' | '_' | '-' => slug.push(c),
                'A'..='Z' => slug.push(c.to_ascii_lowercase()),
                _ => {}
            }
            continue;
        }
        for c in c.to_lowercase() {
            if c == ' ' {
                slug.push('-');
            } else if c == '-' || is_anchor_char(c) {
                slug.push(c);
            }
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// What GitHub keeps of a heading (`\p{Word}`): letters, marks, decimal
/// digits and connector punctuation such as `_`.
fn is_anchor_char(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    c.is_alphabetic()
        || matches!(
            get_general_category(c),
            G::NonspacingMark
                | G::SpacingMark
                | G::EnclosingMark
                | G::DecimalNumber
                | G::ConnectorPunctuation
        )
}

/// A footnote label as an id: letters and digits kept, every other run of
/// characters one `-` (`[^Note 1]` is `fn-note-1`).
fn footnote_slug(label: &str) -> String {
    let mut slug = String::with_capacity(label.len());
    for c in label.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Adds the ids (`id="x"` on any element, `name="x"` on `<a>`) that the
/// start tags in `html` define.
fn html_anchors(html: &str, out: &mut Vec<String>) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        if name_len == 0 {
            continue;
        }
        let element = rest[..name_len].to_ascii_lowercase();
        rest = &rest[name_len..];
        // Attributes up to the end of the tag: `name`, `name=value`,
        // `name="value"` or `name='value'`.
        loop {
            rest = rest.trim_start();
            if rest.is_empty() || rest.starts_with('>') || rest.starts_with("/>") {
                break;
            }
            let name_len = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
                .unwrap_or(rest.len())
                .max(1);
            let attribute = rest[..name_len].to_ascii_lowercase();
            rest = rest[name_len..].trim_start();
            let Some(after_equals) = rest.strip_prefix('=') else {
                continue;
            };
            rest = after_equals.trim_start();
            let (value, after) = match rest.chars().next() {
                Some(quote @ ('"' | '\'')) => match rest[1..].find(quote) {
                    Some(end) => (&rest[1..1 + end], &rest[end + 2..]),
                    None => (&rest[1..], ""),
                },
                _ => {
                    let end = rest
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(rest.len());
                    (&rest[..end], &rest[end..])
                }
            };
            rest = after;
            let is_anchor = attribute == "id" || attribute == "name" && element == "a";
            if is_anchor && !value.is_empty() {
                out.push(value.to_string());
            }
        }
    }
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
        reserved_ids: &[],
        sources: None,
        host_paths: &[],
        top_heading: 2,
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
    fn one_parse_gives_the_page_and_the_blocks_without_self_links() {
        let body = "# Title {#t}\n\nText with *em* and a note.[^1]\n\n- a\n  - b\n- c\n\n| x | y |\n|:--|--:|\n| 1 | 2 |\n\n## Again\n\n[^1]: The note.\n";
        let (rendered, split) = render_and_split(body, &OPTIONS, true);
        assert_eq!(rendered, render(body, &OPTIONS));
        let plain = RenderOptions {
            anchor_label: "",
            ..OPTIONS
        };
        let expected: Vec<Block> = blocks(body, &plain)
            .into_iter()
            .map(|b| Block {
                text: String::new(),
                ..b
            })
            .collect();
        assert_eq!(split, Some(expected));
        assert!(rendered.html.contains("class=\"anchor\""));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]

        /// The quick path for ASCII makes the slug the general rules make.
        #[test]
        fn slugs_of_ascii_as_by_the_general_rules(text in "[ -~\t]{0,30}(\\PC|K|İ){0,4}[ -~]{0,10}") {
            let mut by_rules = String::new();
            for c in text.trim().chars().flat_map(char::to_lowercase) {
                if c == ' ' {
                    by_rules.push('-');
                } else if c == '-' || is_anchor_char(c) {
                    by_rules.push(c);
                }
            }
            if by_rules.is_empty() {
                by_rules.push_str("section");
            }
            proptest::prop_assert_eq!(slugify(&text), by_rules);
        }

        /// The page written a block at a time (to take the blocks from it) is
        /// the page written in one go, whatever the body holds.
        #[test]
        fn the_page_written_by_blocks_is_the_page(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "# Title {#t}", "## Two", "### Three *em*", "Plain text.", "Text with **bold** and `code`.",
                "A [link](/terms/#x) and a note.[^1]", "- a\n- b\n  - c\n- d", "1. one\n2. two\n\n   para",
                "3. three", "| a | b |\n|:--|--:|\n| 1 | 2 |", "> quoted\n> more", "---",
                "```\ncode <b>\n```", "<div class=\"raw\">\n<p>raw</p>\n</div>", "<b>inline</b> html",
                "Line one\nline two  \nhard break", "[^1]: The note.", "* * *", "    indented code",
                "Term &amp; &copy; entity", "<!-- comment -->",
            ]), 0..12),
            joiner in proptest::sample::select(vec!["\n\n", "\n"]),
        ) {
            let body = parts.join(joiner) + "\n";
            let (split, blocks) = render_and_split(&body, &OPTIONS, true);
            proptest::prop_assert_eq!(&split.html, &render(&body, &OPTIONS).html);
            proptest::prop_assert!(blocks.is_some());
        }
    }

    #[test]
    fn white_space_by_bytes_is_char_white_space() {
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(
                white_space_at(bytes, 0),
                (c.is_whitespace(), c.len_utf8()),
                "{c:?}"
            );
        }
    }

    #[test]
    fn block_text_has_single_spaces_between_words() {
        let b = blocks(
            "One\ttwo  three\u{3000}四 <b>five</b>\n\nSix\u{a0}seven\n",
            &OPTIONS,
        );
        assert_eq!(b[0].text, "One two three 四 five");
        assert_eq!(b[1].text, "Six seven");
    }

    /// Heading anchors are part of the published record: links from other
    /// sites point at them. This table freezes GitHub's rule; a change to
    /// any row moves a published anchor.
    #[test]
    fn heading_anchors_are_frozen() {
        let table = [
            ("What's a fork", "whats-a-fork"),
            ("1.1 Description", "11-description"),
            ("1. Who We Are", "1-who-we-are"),
            ("Changes & questions", "changes--questions"),
            ("Section 4(a)(ii)", "section-4aii"),
            ("Q&A", "qa"),
            ("C++ / C#", "c--c"),
            ("A – B", "a--b"),
            ("snake_case and kebab-case", "snake_case-and-kebab-case"),
            ("-leading and trailing-", "-leading-and-trailing-"),
            ("  Ünïcode & Co. ", "ünïcode--co"),
            ("Café au lait", "café-au-lait"),
            ("ÜBER UNS", "über-uns"),
            ("数据保留", "数据保留"),
            ("第一条、总则", "第一条总则"),
            ("個人情報の利用目的（第3条）", "個人情報の利用目的第3条"),
            ("개인정보 처리방침", "개인정보-처리방침"),
            ("हिन्दी भाषा", "हिन्दी-भाषा"),
            ("ภาษาไทย", "ภาษาไทย"),
            ("Политика конфиденциальности", "политика-конфиденциальности"),
            ("سياسة الخصوصية", "سياسة-الخصوصية"),
            ("Emoji 🎉 party", "emoji--party"),
            ("Price: $10 ½ off²", "price-10--off"),
            ("٣ Arabic-Indic digit", "٣-arabic-indic-digit"),
            ("🎉", "section"),
            ("!!!", "section"),
        ];
        for (heading, anchor) in table {
            assert_eq!(slugify(heading), anchor, "heading {heading:?}");
        }
    }

    #[test]
    fn raw_html_anchors_are_link_targets() {
        let body = "<a name=\"old-scope\"></a>\n\n## Scope\n\nSee <span id='fees' class=x>fees</span> \
                    and <a href=\"#old-scope\" name=top>top</a>.\n\n<div data-id=\"no\" title=\"id=no\"></div>\n";
        let r = render(body, &OPTIONS);
        assert_eq!(r.anchors, ["fees", "old-scope", "scope", "top"]);
    }

    #[test]
    fn repeated_headings_are_numbered_as_on_github() {
        let body = "## Scope\n\n## Scope\n\n## Scope!\n\n## What's new?\n";
        assert_eq!(
            ids(&render(body, &OPTIONS)),
            ["scope", "scope-1", "scope-2", "whats-new"]
        );
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
    fn headings_move_to_the_top_level_and_never_skip_one() {
        let tags = |body: &str, top: u8| -> Vec<String> {
            let r = render(
                body,
                &RenderOptions {
                    top_heading: top,
                    ..OPTIONS
                },
            );
            r.html
                .match_indices("<h")
                .map(|(i, _)| r.html[i + 1..i + 3].to_string())
                .collect()
        };
        // A body written with `#` cannot add a second h1 to the page.
        assert_eq!(tags("# A\n## B\n# C\n", 2), ["h2", "h3", "h2"]);
        // One starting lower does not skip a level.
        assert_eq!(tags("### A\n#### B\n", 2), ["h2", "h3"]);
        assert_eq!(tags("## A\n### B\n", 3), ["h3", "h4"]);
        // A level the source skips is not skipped on the page (`#` then
        // `####`), and going back up finds the heading's siblings.
        assert_eq!(tags("# A\n###### B\n", 3), ["h3", "h4"]);
        assert_eq!(
            tags("# A\n#### B\n#### C\n## D\n#### E\n# F\n", 2),
            ["h2", "h3", "h3", "h3", "h4", "h2"]
        );
        // Nothing goes below h6.
        assert_eq!(
            tags("# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6\n", 2),
            ["h2", "h3", "h4", "h5", "h6", "h6"]
        );
        assert_eq!(tags("Text only.\n", 2), Vec::<String>::new());
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
        let targets: Vec<&str> = r
            .links
            .iter()
            .map(|l| l.target.as_deref().unwrap())
            .collect();
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
        assert_eq!(r.anchors, ["zh-fn-1", "zh-fn-1-ref", "zh-scope"]);
    }

    fn problems(r: &Rendered) -> Vec<String> {
        r.problems.iter().map(|p| p.message.clone()).collect()
    }

    #[test]
    fn footnote_labels_match_without_case_and_problems_are_reported() {
        let body = "A[^Note] B[^missing] C[^d].\n\n[^note]: N.\n\n[^d]: one\n\n[^D]: two\n";
        let r = render(body, &OPTIONS);
        assert!(
            r.html
                .contains("<a href=\"#fn-note\" id=\"fn-note-ref\">1</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains(
            "<div class=\"footnote\" id=\"fn-note\"><span class=\"footnote-number\">1</span>"
        ));
        assert_eq!(r.html.matches("id=\"fn-d\"").count(), 1);
        assert_eq!(
            problems(&r),
            [
                "footnote `[^missing]` is never defined",
                "footnote `[^D]` is defined more than once"
            ]
        );
        assert_eq!(r.problems[0].offset, 10);
    }

    #[test]
    fn ids_avoid_the_page_and_each_other() {
        let reserved = ["main".to_string(), "toc-title".to_string()];
        let options = RenderOptions {
            reserved_ids: &reserved,
            ..OPTIONS
        };
        let r = render(
            "## Main\n\n## Toc title\n\n## Fn 1 ref\n\nA note.[^1] Again.[^1]\n\n[^1]: N.\n",
            &options,
        );
        assert_eq!(ids(&r), ["main-1", "toc-title-1", "fn-1-ref"]);
        assert!(r.html.contains("id=\"fn-1-ref-1\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-1-ref-2\""), "{}", r.html);
        let r = render("## A {#main}\n", &options);
        assert_eq!(
            problems(&r),
            ["the anchor `#main` is used by the page itself"]
        );
    }

    #[test]
    fn heading_attributes_need_values() {
        let r = render("## A {#id with spaces}\n\n## B {#b data-x=1}\n", &OPTIONS);
        assert_eq!(
            problems(&r),
            [
                "heading attribute `with` has no value",
                "heading attribute `spaces` has no value"
            ]
        );
        assert!(!r.html.contains("with="));
        assert!(r.html.contains("<h2 id=\"b\" data-x=\"1\">"), "{}", r.html);
    }

    #[test]
    fn many_repeated_headings_stay_fast_and_unique() {
        let body = "## A\n\n".repeat(5000);
        let r = render(&body, &OPTIONS);
        assert_eq!(r.anchors.len(), 5000);
        assert_eq!(ids(&r)[4999], "a-4999");
    }

    #[test]
    fn splits_into_blocks() {
        let body = "## Scope {#scope}\n\nFirst *para*.\n\n- one\n- two\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\nLast.[^1]\n\n[^1]: Note.\n";
        let b = blocks(body, &OPTIONS);
        let kinds: Vec<BlockKind> = b.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Heading(2),
                BlockKind::Other,
                BlockKind::Item {
                    list: 1,
                    ordered: None
                },
                BlockKind::Item {
                    list: 1,
                    ordered: None
                },
                BlockKind::Row {
                    table: 1,
                    head: true
                },
                BlockKind::Row {
                    table: 1,
                    head: false
                },
                BlockKind::Other,
                BlockKind::Other,
            ]
        );
        assert!(
            b[0].html
                .starts_with("<h2 id=\"scope\">Scope <a class=\"anchor\""),
            "{}",
            b[0].html
        );
        assert_eq!(b[1].html, "<p>First <em>para</em>.</p>\n");
        assert_eq!(b[1].text, "First para.");
        assert_eq!(b[2].html, "<li>one</li>\n");
        assert_eq!(
            b[4].html,
            "<tr><th style=\"text-align: left\">a</th><th style=\"text-align: right\">b</th></tr>"
        );
        assert_eq!(b[5].text, "1 | 2");
        assert!(b[6].html.contains("href=\"#fn-1\""));
        assert!(
            b[7].html
                .starts_with("<div class=\"footnote\" id=\"fn-1\">")
        );
        // The blocks together are the page's body.
        let joined: String = b.iter().map(|b| b.html.as_str()).collect();
        assert!(render(body, &OPTIONS).html.contains(&b[1].html));
        assert!(joined.contains("<li>two</li>"));
    }

    #[test]
    fn heading_text_is_escaped_in_attributes() {
        let r = render("## A \"quoted\" <b>bold</b> & more\n", &OPTIONS);
        assert_eq!(ids(&r), ["a-quoted-bold--more"]);
        assert_eq!(r.toc[0].title, "A \"quoted\" bold & more");
    }
}
