//! What the fuzz targets (`fuzz/`) run on every input, and what
//! `tests/testsuite/fuzz_corpus.rs` replays on the saved corpus with stable
//! Rust: each function takes arbitrary bytes, runs one part of the pipeline
//! on them, and panics if an invariant breaks. A panic, a hang or a broken
//! invariant is a finding.

use crate::base::diagnostics::LineIndex;
use crate::load::frontmatter;
use crate::model::diff::{self, Labels, TextStyle};
use crate::model::markdown::{self, RenderOptions};

const OPTIONS: RenderOptions<'static> = RenderOptions {
    base_path: "/",
    anchor_label: "Link to this section",
    id_prefix: "",
    reserved_ids: &[],
    sources: None,
    host_paths: &[],
    top_heading: 2,
};

const LABELS: Labels<'static> = Labels {
    inserted: "inserted:",
    deleted: "deleted:",
    moved: "moved",
    unchanged: "{count} unchanged",
    was: "was {number}",
    moved_from: "moved from {place}",
    moved_to: "moved to {place}",
};

/// Front matter: parsed or refused, never a panic; problems point inside
/// the text, a body starts on a character boundary.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.split('\n').count();
    match frontmatter::parse(text) {
        Ok(parsed) => {
            assert!(parsed.body_start <= text.len());
            assert!(text.is_char_boundary(parsed.body_start));
            assert!(!parsed.front.title.is_empty());
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in problems {
                assert!(p.position.line >= 1 && p.position.line <= lines, "{p:?}");
                assert!(!p.message.is_empty());
            }
        }
    }
}

/// A Markdown body: rendered with anchors and links; ids unique, link and
/// problem offsets inside the text (and positions found for them), every
/// same-page link checked against the anchors, and without raw HTML in
/// the input, balanced HTML.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rendered = markdown::render(text, &OPTIONS);
    let mut ids = std::collections::HashSet::new();
    for id in &rendered.anchors {
        assert!(ids.insert(id.as_str()), "the id `{id}` twice");
    }
    let lines = LineIndex::new(text);
    for link in &rendered.links {
        assert!(link.offset <= text.len());
        let position = lines.position(text, link.offset);
        assert!(position.line >= 1);
        if let Ok(target) = &link.target {
            if let Some(fragment) = target.strip_prefix('#') {
                // The link check's question; either answer is fine.
                let _ = ids.contains(fragment);
            }
        }
    }
    for problem in &rendered.problems {
        assert!(problem.offset <= text.len());
        lines.position(text, problem.offset);
    }
    if !text.contains('<') {
        assert_balanced(&rendered.html);
    }
    let blocks = markdown::blocks(text, &OPTIONS);
    if !text.contains('<') {
        for block in &blocks {
            assert_balanced(&block.html);
        }
    }
}

/// A redline between two documents (the input split at its first `\0`):
/// made and written as text without a panic; without raw HTML in either,
/// balanced HTML; counts no larger than the words there are.
pub fn redline(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (old, new) = text.split_once('\0').unwrap_or((text, ""));
    let (old_blocks, new_blocks) = (
        markdown::blocks(old, &OPTIONS),
        markdown::blocks(new, &OPTIONS),
    );
    let redline = diff::redline(&old_blocks, &new_blocks, &LABELS);
    if !text.contains('<') {
        assert_balanced(&redline.html);
    }
    // A bound on the words a text can hold, however they are split.
    let words = |t: &str| {
        t.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .count()
            + t.chars().filter(|c| !c.is_ascii() || *c == '&').count()
    };
    assert!(
        redline.words_added <= words(new),
        "{} added",
        redline.words_added
    );
    assert!(
        redline.words_removed <= words(old),
        "{} removed",
        redline.words_removed
    );
    // Sources with control characters are refused when they are loaded;
    // from others, `clause diff` never writes an escape sequence.
    let (plain, _, _) = diff::text(&old_blocks, &new_blocks, TextStyle::Plain);
    assert!(text.contains('\u{1b}') || !plain.contains('\u{1b}'));
    let _ = diff::text(&old_blocks, &new_blocks, TextStyle::Color);
}

/// Every element opened is closed, in order (void elements and
/// self-closing tags open nothing).
fn assert_balanced(html: &str) {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            let end = after.find("-->").expect("an unclosed comment");
            rest = &after[end + 3..];
            continue;
        }
        let end = rest.find('>').expect("an unclosed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim();
            assert_eq!(
                open.pop(),
                Some(name),
                "`</{name}>` closes nothing open in {html}"
            );
        } else {
            let name = tag.split([' ', '\n', '/']).next().unwrap_or("");
            if !tag.ends_with('/') && !VOID.contains(&name) {
                open.push(name);
            }
        }
    }
    assert!(open.is_empty(), "{open:?} left open in {html}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_targets_accept_ordinary_input() {
        front_matter(b"---\ntitle: T\neffective_date: 2025-01-01\nversion: \"1\"\nlanguage: en\n---\nText.\n");
        markdown(b"# A\n\nText[^1] and [a link](#a).\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n[^1]: Note.\n");
        redline(b"# A\n\nOld text.\n\0# A\n\nNew text.\n");
    }

    #[test]
    #[should_panic(expected = "closes nothing open")]
    fn unbalanced_html_is_a_finding() {
        assert_balanced("<p><em>x</p>");
    }
}
