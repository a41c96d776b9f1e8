//! Redlines: what changed between two versions of a document.
//!
//! The versions' blocks (headings, paragraphs, list items, table rows,
//! footnotes) are lined up with `similar` (patience diff on their kind and
//! text); changed blocks are paired and diffed token by token (words, and
//! single characters for CJK text, which has no spaces); adjacent changes
//! are merged into one `<ins>`/`<del>` run. The markup of the result is the
//! new version's: deleted text keeps its words but not its tags, so the
//! output is always balanced HTML.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::markdown::{Block, BlockKind};

/// The words the redline itself prints, in the page's language.
#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    /// Visually hidden before each insertion (`inserted:`).
    pub inserted: &'a str,
    /// Visually hidden before each deletion (`deleted:`).
    pub deleted: &'a str,
    /// Shown by a block that moved (`moved`).
    pub moved: &'a str,
    /// The summary of collapsed unchanged passages, with `{count}`.
    pub unchanged: &'a str,
}

/// A redline: the HTML to show, and how many words were added and removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redline {
    pub html: String,
    pub words_added: usize,
    pub words_removed: usize,
    /// False when the two versions have the same text.
    pub changed: bool,
    /// Identifies this redline for caches (0 when unknown).
    pub fingerprint: u64,
}

/// How the text form marks changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStyle {
    /// `[-deleted-]{+added+}`.
    Plain,
    /// ANSI colours: red struck-through deletions, green underlined insertions.
    Color,
}

/// How one block of the new (or old) version fares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Same {
        old: usize,
        new: usize,
    },
    Changed {
        old: usize,
        new: usize,
    },
    Added {
        new: usize,
    },
    Removed {
        old: usize,
    },
    /// The same block in another place: shown where it is now, and marked where it was.
    MovedTo {
        new: usize,
    },
    MovedFrom {
        old: usize,
    },
}

/// What a block is, for lining up: its kind (not which list or table) and text.
fn key(block: &Block) -> (u8, &str) {
    let kind = match block.kind {
        BlockKind::Heading(level) => level,
        BlockKind::Item { .. } => 10,
        BlockKind::Row { head: true, .. } => 11,
        BlockKind::Row { head: false, .. } => 12,
        BlockKind::Other => 13,
    };
    (kind, block.text.as_str())
}

/// Lines the blocks of two versions up.
fn align(old: &[Block], new: &[Block]) -> Vec<Entry> {
    let old_keys: Vec<(u8, &str)> = old.iter().map(key).collect();
    let new_keys: Vec<(u8, &str)> = new.iter().map(key).collect();
    let mut entries = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => entries.extend((0..len).map(|k| Entry::Same {
                old: old_index + k,
                new: new_index + k,
            })),
            DiffOp::Delete {
                old_index, old_len, ..
            } => entries.extend((old_index..old_index + old_len).map(|old| Entry::Removed { old })),
            DiffOp::Insert {
                new_index, new_len, ..
            } => entries.extend((new_index..new_index + new_len).map(|new| Entry::Added { new })),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => pair(
                old,
                new,
                old_index..old_index + old_len,
                new_index..new_index + new_len,
                &mut entries,
            ),
        }
    }
    mark_moves(old, new, &mut entries);
    entries
}

/// Pairs the blocks of a replaced stretch in order: a block of the same kind
/// with enough words in common is the changed version of the other; the
/// rest were removed or added.
fn pair(
    old: &[Block],
    new: &[Block],
    olds: std::ops::Range<usize>,
    news: std::ops::Range<usize>,
    entries: &mut Vec<Entry>,
) {
    // The same kind and enough words in common; a heading of the same level
    // in the same stretch is the same heading renamed.
    let similar = |o: usize, n: usize| {
        key(&old[o]).0 == key(&new[n]).0
            && (matches!(old[o].kind, BlockKind::Heading(_)) || similarity(&old[o], &new[n]) >= 0.3)
    };
    let (mut o, mut n) = (olds.start, news.start);
    while o < olds.end || n < news.end {
        if o < olds.end && n < news.end {
            if similar(o, n) {
                entries.push(Entry::Changed { old: o, new: n });
                o += 1;
                n += 1;
                continue;
            }
            // Keep the old block if a later new one matches it; else it was removed.
            if (n + 1..news.end).any(|later| similar(o, later)) {
                entries.push(Entry::Added { new: n });
                n += 1;
            } else {
                entries.push(Entry::Removed { old: o });
                o += 1;
            }
        } else if o < olds.end {
            entries.push(Entry::Removed { old: o });
            o += 1;
        } else {
            entries.push(Entry::Added { new: n });
            n += 1;
        }
    }
}

/// The share of words two blocks have in common (0 to 1).
fn similarity(a: &Block, b: &Block) -> f64 {
    let old = tokenize(&a.text);
    let new = tokenize(&b.text);
    let total = old.len() + new.len();
    if total == 0 {
        return 1.0;
    }
    let same: usize = capture_diff_slices(Algorithm::Myers, &old, &new)
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    (2 * same) as f64 / total as f64
}

/// A removed block and an added one with the same kind and text moved.
fn mark_moves(old: &[Block], new: &[Block], entries: &mut [Entry]) {
    let removed: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| matches!(e, Entry::Removed { .. }).then_some(i))
        .collect();
    for r in removed {
        let Entry::Removed { old: o } = entries[r] else {
            continue;
        };
        if old[o].text.trim().is_empty() {
            continue;
        }
        let partner = entries
            .iter()
            .position(|e| matches!(e, Entry::Added { new: n } if key(&new[*n]) == key(&old[o])));
        if let Some(a) = partner {
            let Entry::Added { new: n } = entries[a] else {
                continue;
            };
            entries[r] = Entry::MovedFrom { old: o };
            entries[a] = Entry::MovedTo { new: n };
        }
    }
}

/// A piece of a block: markup, a run of spaces, or a word (a CJK character
/// alone, a punctuation mark alone, an entity with its word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Token<'a> {
    Tag(&'a str),
    Space(&'a str),
    Word(&'a str),
}

impl<'a> Token<'a> {
    fn text(&self) -> &'a str {
        match self {
            Token::Tag(t) | Token::Space(t) | Token::Word(t) => t,
        }
    }

    /// A word that counts (not a lone punctuation mark).
    fn counts(&self) -> bool {
        matches!(self, Token::Word(w) if w.chars().any(char::is_alphanumeric))
    }
}

/// Characters of scripts written without spaces, compared one by one.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF // CJK radicals, kana, ideographs, CJK punctuation
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0xFF00..=0xFFEF // full-width forms
        | 0x20000..=0x3FFFF) // more ideographs
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let is_word = |c: char| {
        !is_cjk(c) && (c.is_alphanumeric() || matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x0DFF))
    };
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = if c == '<' {
            rest.find('>').map_or(rest.len(), |i| i + 1)
        } else if c.is_whitespace() {
            rest.find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len())
        } else if c == '&' {
            // An entity (`&amp;`, `&#39;`) is one token.
            match rest[1..].find(';') {
                Some(i)
                    if i <= 8
                        && rest[1..1 + i]
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '#') =>
                {
                    i + 2
                }
                _ => 1,
            }
        } else if is_word(c) {
            // Letters and digits, with apostrophes and hyphens between them.
            let chars: Vec<(usize, char)> = rest.char_indices().collect();
            let mut end = 0;
            for (k, &(i, ch)) in chars.iter().enumerate() {
                let joiner = matches!(ch, '\'' | '’' | '-')
                    && chars.get(k + 1).is_some_and(|&(_, n)| is_word(n));
                if !(is_word(ch) || joiner && k > 0) {
                    break;
                }
                end = i + ch.len_utf8();
            }
            end
        } else {
            // A CJK character or a punctuation mark, alone.
            c.len_utf8()
        };
        let (token, after) = rest.split_at(len);
        tokens.push(if c == '<' {
            Token::Tag(token)
        } else if c.is_whitespace() {
            Token::Space(token)
        } else {
            Token::Word(token)
        });
        rest = after;
    }
    tokens
}

/// A stretch of a changed block: the same in both, or a change (what was
/// deleted and what was inserted, either possibly empty).
#[derive(Debug, PartialEq, Eq)]
enum Segment<'a> {
    Same(Vec<Token<'a>>),
    Change {
        deleted: Vec<Token<'a>>,
        inserted: Vec<Token<'a>>,
    },
}

/// Diffs two token lists and merges changes separated only by spaces, so
/// that "the old words" -> "the new text" reads as one change.
fn segments<'a>(old: &[Token<'a>], new: &[Token<'a>]) -> Vec<Segment<'a>> {
    let mut out: Vec<Segment<'a>> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        let (same, deleted, inserted): (&[Token<'a>], &[Token<'a>], &[Token<'a>]) = match op {
            DiffOp::Equal { new_index, len, .. } => (&new[new_index..new_index + len], &[], &[]),
            DiffOp::Delete {
                old_index, old_len, ..
            } => (&[], &old[old_index..old_index + old_len], &[]),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (&[], &[], &new[new_index..new_index + new_len]),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                &[],
                &old[old_index..old_index + old_len],
                &new[new_index..new_index + new_len],
            ),
        };
        if !same.is_empty() {
            out.push(Segment::Same(same.to_vec()));
            continue;
        }
        // Join this change to the previous one if nothing or only spaces stand between them.
        let gap = match out.as_slice() {
            [.., Segment::Change { .. }, Segment::Same(gap)]
                if gap.iter().all(|t| matches!(t, Token::Space(_))) =>
            {
                match out.pop() {
                    Some(Segment::Same(gap)) => Some(gap),
                    _ => None,
                }
            }
            [.., Segment::Change { .. }] => Some(Vec::new()),
            _ => None,
        };
        match (gap, out.last_mut()) {
            (
                Some(gap),
                Some(Segment::Change {
                    deleted: d,
                    inserted: i,
                }),
            ) => {
                d.extend(gap.iter().copied().chain(deleted.iter().copied()));
                i.extend(gap.iter().copied().chain(inserted.iter().copied()));
            }
            _ => out.push(Segment::Change {
                deleted: deleted.to_vec(),
                inserted: inserted.to_vec(),
            }),
        }
    }
    out
}

/// Removes `id="..."` from a tag: the old version's ids would clash with the new one's.
fn without_id(tag: &str) -> String {
    match tag.find(" id=\"") {
        Some(start) => {
            let value_end = tag[start + 5..]
                .find('"')
                .map_or(tag.len(), |e| start + 5 + e + 1);
            format!("{}{}", &tag[..start], &tag[value_end..])
        }
        None => tag.to_string(),
    }
}

/// Writes text tokens inside `<ins>` (or `<del>`), closing it around tags so
/// the markup stays balanced. Spaces alone are never marked.
struct Marker<'o> {
    out: &'o mut String,
    tag: &'static str,
    label: &'o str,
    open: bool,
}

impl Marker<'_> {
    fn text(&mut self, text: &str) {
        if !self.open {
            self.out.push_str(&format!(
                "<{}><span class=\"visually-hidden\">{} </span>",
                self.tag, self.label
            ));
            self.open = true;
        }
        self.out.push_str(text);
    }

    fn close(&mut self) {
        if self.open {
            self.out.push_str(&format!("</{}>", self.tag));
            self.open = false;
        }
    }
}

/// Renders tokens with every text token marked; `keep_tags` keeps the
/// markup (a whole added or removed block), otherwise it is dropped (the
/// words deleted from inside a changed block). Leading and trailing spaces
/// stay outside the mark.
fn mark(
    out: &mut String,
    tokens: &[Token<'_>],
    tag: &'static str,
    label: &str,
    keep_tags: bool,
    strip_ids: bool,
) {
    let mut marker = Marker {
        out,
        tag,
        label,
        open: false,
    };
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Tag(t) => {
                if keep_tags {
                    marker.close();
                    if strip_ids {
                        marker.out.push_str(&without_id(t));
                    } else {
                        marker.out.push_str(t);
                    }
                }
            }
            Token::Space(s) => {
                // Inside the mark only between two words.
                let next_is_word = tokens[i + 1..]
                    .iter()
                    .find(|t| !matches!(t, Token::Space(_)))
                    .is_some_and(|t| matches!(t, Token::Word(_)));
                if marker.open && next_is_word {
                    marker.text(s);
                } else {
                    marker.close();
                    marker.out.push_str(s);
                }
            }
            Token::Word(w) => marker.text(w),
        }
    }
    marker.close();
}

fn count(tokens: &[Token<'_>]) -> usize {
    tokens.iter().filter(|t| t.counts()).count()
}

/// The HTML redline of two versions' blocks.
pub fn redline(old: &[Block], new: &[Block], labels: &Labels<'_>) -> Redline {
    let entries = align(old, new);
    let mut words_added = 0;
    let mut words_removed = 0;
    // Each entry's HTML, and whether it is unchanged.
    let mut pieces: Vec<(Option<BlockKind>, String, bool)> = Vec::new();
    for entry in &entries {
        let mut html = String::new();
        let (kind, same) = match *entry {
            Entry::Same { new: n, .. } => {
                html.push_str(&new[n].html);
                (new[n].kind, true)
            }
            Entry::Changed { old: o, new: n } => {
                let (a, b) = (tokenize(&old[o].html), tokenize(&new[n].html));
                for segment in segments(&a, &b) {
                    match segment {
                        Segment::Same(tokens) => {
                            tokens.iter().for_each(|t| html.push_str(t.text()))
                        }
                        Segment::Change { deleted, inserted } => {
                            words_removed += count(&deleted);
                            words_added += count(&inserted);
                            if deleted.iter().any(|t| matches!(t, Token::Word(_))) {
                                mark(&mut html, &deleted, "del", labels.deleted, false, false);
                            }
                            mark(&mut html, &inserted, "ins", labels.inserted, true, false);
                        }
                    }
                }
                (new[n].kind, false)
            }
            Entry::Added { new: n } => {
                let tokens = tokenize(&new[n].html);
                words_added += count(&tokens);
                mark(&mut html, &tokens, "ins", labels.inserted, true, false);
                (new[n].kind, false)
            }
            Entry::Removed { old: o } => {
                let tokens = tokenize(&old[o].html);
                words_removed += count(&tokens);
                mark(&mut html, &tokens, "del", labels.deleted, true, true);
                (old[o].kind, false)
            }
            Entry::MovedTo { new: n } => {
                html.push_str(&with_note(&new[n].html, labels.moved, false));
                (new[n].kind, false)
            }
            Entry::MovedFrom { old: o } => {
                let mut moved = String::new();
                mark(
                    &mut moved,
                    &tokenize(&old[o].html),
                    "del",
                    labels.deleted,
                    true,
                    true,
                );
                html.push_str(&with_note(&moved, labels.moved, true));
                (old[o].kind, false)
            }
        };
        pieces.push((Some(kind), html, same));
    }
    let changed = entries.iter().any(|e| !matches!(e, Entry::Same { .. }));
    Redline {
        html: assemble(&pieces, labels),
        words_added,
        words_removed,
        changed,
        fingerprint: 0,
    }
}

/// Puts a visible "moved" note at the end of a block's first element.
fn with_note(html: &str, moved: &str, away: bool) -> String {
    let class = if away {
        "moved moved-from"
    } else {
        "moved moved-to"
    };
    let note = format!(" <span class=\"{class}\">({moved})</span>");
    // Before the closing tag of the block's element.
    match html.trim_end().rfind("</") {
        Some(at) => format!("{}{note}{}", &html[..at], &html[at..]),
        None => format!("{html}{note}"),
    }
}

/// Wraps list items and table rows in their lists and tables, and folds
/// runs of unchanged passages (not headings) into `<details>`.
fn assemble(pieces: &[(Option<BlockKind>, String, bool)], labels: &Labels<'_>) -> String {
    // Group into top-level units: one block, or a run of items (a list) or rows (a table).
    struct Unit {
        html: String,
        same: bool,
        heading: bool,
    }
    let mut units: Vec<Unit> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let (kind, html, same) = &pieces[i];
        match kind {
            Some(BlockKind::Item { ordered, .. }) => {
                let mut unit = match ordered {
                    Some(start) if *start != 1 => format!("<ol start=\"{start}\">\n"),
                    Some(_) => "<ol>\n".to_string(),
                    None => "<ul>\n".to_string(),
                };
                let mut all_same = true;
                while let Some((Some(BlockKind::Item { ordered: o, .. }), html, same)) =
                    pieces.get(i)
                {
                    if o.is_some() != ordered.is_some() {
                        break;
                    }
                    unit.push_str(html);
                    all_same &= same;
                    i += 1;
                }
                unit.push_str(if ordered.is_some() {
                    "</ol>\n"
                } else {
                    "</ul>\n"
                });
                units.push(Unit {
                    html: unit,
                    same: all_same,
                    heading: false,
                });
            }
            Some(BlockKind::Row { .. }) => {
                let mut unit = String::from("<table>\n");
                let mut all_same = true;
                let mut section = "";
                while let Some((Some(BlockKind::Row { head, .. }), html, same)) = pieces.get(i) {
                    let wanted = if *head { "thead" } else { "tbody" };
                    if section == "tbody" && wanted == "thead" {
                        break;
                    }
                    if section != wanted {
                        if !section.is_empty() {
                            unit.push_str(&format!("</{section}>\n"));
                        }
                        unit.push_str(&format!("<{wanted}>\n"));
                        section = wanted;
                    }
                    unit.push_str(html);
                    unit.push('\n');
                    all_same &= same;
                    i += 1;
                }
                unit.push_str(&format!("</{section}>\n</table>\n"));
                units.push(Unit {
                    html: unit,
                    same: all_same,
                    heading: false,
                });
            }
            _ => {
                units.push(Unit {
                    html: html.clone(),
                    same: *same,
                    heading: matches!(kind, Some(BlockKind::Heading(_))),
                });
                i += 1;
            }
        }
    }
    // Fold runs of two or more unchanged passages.
    let mut out = String::new();
    let mut k = 0;
    while k < units.len() {
        let run = units[k..]
            .iter()
            .take_while(|u| u.same && !u.heading)
            .count();
        if run >= 2 {
            let summary = labels.unchanged.replace("{count}", &run.to_string());
            out.push_str(&format!(
                "<details class=\"unchanged\">\n<summary>{}</summary>\n",
                escape(&summary)
            ));
            for unit in &units[k..k + run] {
                out.push_str(&unit.html);
            }
            out.push_str("</details>\n");
            k += run;
        } else {
            out.push_str(&units[k].html);
            k += 1;
        }
    }
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// The redline as text, for the terminal: changed blocks only, each after
/// the heading it sits under, with `…` for what is left out.
pub fn text(old: &[Block], new: &[Block], style: TextStyle) -> (String, usize, usize) {
    let entries = align(old, new);
    let (mut added, mut removed) = (0, 0);
    let mut out = String::new();
    // The unchanged heading the next change sits under, and whether unchanged
    // blocks were left out before it and after it.
    let mut pending: Option<usize> = None;
    let (mut skipped_before, mut skipped_after) = (false, false);
    let (del_open, del_close, ins_open, ins_close) = match style {
        TextStyle::Plain => ("[-", "-]", "{+", "+}"),
        TextStyle::Color => ("\x1b[31;9m", "\x1b[0m", "\x1b[32;4m", "\x1b[0m"),
    };
    for entry in &entries {
        let is_heading = |b: &Block| matches!(b.kind, BlockKind::Heading(_));
        let line = match *entry {
            Entry::Same { new: n, .. } => {
                if is_heading(&new[n]) {
                    skipped_before |= skipped_after || pending.is_some();
                    skipped_after = false;
                    pending = Some(n);
                } else if pending.is_some() {
                    skipped_after = true;
                } else {
                    skipped_before = true;
                }
                continue;
            }
            Entry::Changed { old: o, new: n } => {
                let (a, b) = (tokenize(&old[o].text), tokenize(&new[n].text));
                let mut line = prefix(&new[n]);
                for segment in segments(&a, &b) {
                    match segment {
                        Segment::Same(tokens) => {
                            tokens.iter().for_each(|t| line.push_str(t.text()))
                        }
                        Segment::Change { deleted, inserted } => {
                            removed += count(&deleted);
                            added += count(&inserted);
                            // Spaces at the edges stay outside the marks.
                            let (d_lead, d_core, d_trail) = trim_spaces(&deleted);
                            let (i_lead, i_core, i_trail) = trim_spaces(&inserted);
                            let (lead, trail) = if inserted.is_empty() {
                                (d_lead, d_trail)
                            } else {
                                (i_lead, i_trail)
                            };
                            line.push_str(&lead);
                            if !d_core.is_empty() {
                                line.push_str(&format!("{del_open}{d_core}{del_close}"));
                            }
                            if !i_core.is_empty() {
                                line.push_str(&format!("{ins_open}{i_core}{ins_close}"));
                            }
                            line.push_str(&trail);
                        }
                    }
                }
                line
            }
            Entry::Added { new: n } | Entry::MovedTo { new: n } => {
                let moved = matches!(entry, Entry::MovedTo { .. });
                if !moved {
                    added += count(&tokenize(&new[n].text));
                }
                let note = if moved { " (moved)" } else { "" };
                format!(
                    "{}{ins_open}{}{ins_close}{note}",
                    prefix(&new[n]),
                    new[n].text
                )
            }
            Entry::Removed { old: o } | Entry::MovedFrom { old: o } => {
                let moved = matches!(entry, Entry::MovedFrom { .. });
                if !moved {
                    removed += count(&tokenize(&old[o].text));
                }
                let note = if moved { " (moved)" } else { "" };
                format!(
                    "{}{del_open}{}{del_close}{note}",
                    prefix(&old[o]),
                    old[o].text
                )
            }
        };
        let changes_heading = match *entry {
            Entry::Changed { new: n, .. } | Entry::Added { new: n } | Entry::MovedTo { new: n } => {
                is_heading(&new[n])
            }
            Entry::Removed { old: o } | Entry::MovedFrom { old: o } => is_heading(&old[o]),
            Entry::Same { .. } => false,
        };
        // The unchanged heading above this change gives it context, unless
        // the change is itself a heading.
        if let Some(h) = pending.take() {
            if changes_heading {
                skipped_before = true;
            } else {
                if skipped_before {
                    out.push_str("…\n\n");
                }
                out.push_str(&format!("{}{}\n\n", prefix(&new[h]), new[h].text));
                skipped_before = skipped_after;
            }
        }
        if skipped_before || skipped_after {
            out.push_str("…\n\n");
        }
        skipped_before = false;
        skipped_after = false;
        out.push_str(&line);
        out.push_str("\n\n");
    }
    (out, added, removed)
}

/// Tokens as text, split into leading spaces, the rest, and trailing spaces.
fn trim_spaces(tokens: &[Token<'_>]) -> (String, String, String) {
    let text: String = tokens.iter().map(|t| t.text()).collect();
    let core = text.trim();
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    (
        lead.to_string(),
        core.to_string(),
        if core.is_empty() {
            String::new()
        } else {
            trail.to_string()
        },
    )
}

/// How a block starts in the text form: `## `, `- `, `| `.
fn prefix(block: &Block) -> String {
    match block.kind {
        BlockKind::Heading(level) => format!("{} ", "#".repeat(usize::from(level))),
        BlockKind::Item { .. } => "- ".to_string(),
        BlockKind::Row { .. } => "| ".to_string(),
        BlockKind::Other => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{RenderOptions, blocks};

    const OPTIONS: RenderOptions<'static> = RenderOptions {
        base_path: "/",
        anchor_label: "",
        id_prefix: "",
        reserved_ids: &[],
        top_heading: 2,
    };
    const LABELS: Labels<'static> = Labels {
        inserted: "inserted:",
        deleted: "deleted:",
        moved: "moved",
        unchanged: "{count} unchanged passages",
    };

    fn diff(old: &str, new: &str) -> Redline {
        redline(&blocks(old, &OPTIONS), &blocks(new, &OPTIONS), &LABELS)
    }

    fn plain(old: &str, new: &str) -> String {
        text(
            &blocks(old, &OPTIONS),
            &blocks(new, &OPTIONS),
            TextStyle::Plain,
        )
        .0
    }

    fn ins(text: &str) -> String {
        format!("<ins><span class=\"visually-hidden\">inserted: </span>{text}</ins>")
    }

    fn del(text: &str) -> String {
        format!("<del><span class=\"visually-hidden\">deleted: </span>{text}</del>")
    }

    #[test]
    fn tokens() {
        let words: Vec<&str> = tokenize("<p>It's a well-known <b>fact</b>, &amp; 数据保留.</p>")
            .iter()
            .map(|t| t.text())
            .collect();
        assert_eq!(
            words,
            [
                "<p>",
                "It's",
                " ",
                "a",
                " ",
                "well-known",
                " ",
                "<b>",
                "fact",
                "</b>",
                ",",
                " ",
                "&amp;",
                " ",
                "数",
                "据",
                "保",
                "留",
                ".",
                "</p>"
            ]
        );
    }

    #[test]
    fn an_inserted_sentence_inside_a_paragraph() {
        let r = diff("We keep data.\n", "We keep data. We never sell it.\n");
        assert_eq!(
            r.html,
            format!("<p>We keep data. {}</p>\n", ins("We never sell it."))
        );
        assert_eq!((r.words_added, r.words_removed), (4, 0));
        assert_eq!(
            plain("We keep data.\n", "We keep data. We never sell it.\n"),
            "We keep data. {+We never sell it.+}\n\n"
        );
    }

    #[test]
    fn adjacent_changed_words_are_one_run() {
        let r = diff(
            "Kept for two whole years here.\n",
            "Kept for one short year here.\n",
        );
        assert_eq!(
            r.html,
            format!(
                "<p>Kept for {}{} here.</p>\n",
                del("two whole years"),
                ins("one short year")
            )
        );
    }

    #[test]
    fn chinese_is_compared_by_character() {
        let r = diff("我们收集姓名和邮箱。\n", "我们收集姓名、账单信息和邮箱。\n");
        assert_eq!(
            r.html,
            format!("<p>我们收集姓名{}和邮箱。</p>\n", ins("、账单信息"))
        );
        assert_eq!(r.words_added, 4);
        // Two changed characters close together read as one change.
        let r = diff("保留两年。\n", "保存一年。\n");
        assert_eq!(
            r.html,
            format!("<p>保{}{}年。</p>\n", del("留两"), ins("存一"))
        );
        assert_eq!((r.words_added, r.words_removed), (2, 2));
    }

    #[test]
    fn a_deleted_list_item_and_an_added_section() {
        let old = "- one\n- two\n- three\n";
        let new = "- one\n- three\n\n## New\n\nFresh text.\n";
        let r = diff(old, new);
        assert!(r.html.starts_with("<ul>\n<li>one</li>\n"), "{}", r.html);
        assert!(
            r.html.contains(&format!("<li>{}</li>", del("two"))),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains(&format!("<h2 id=\"new\">{}</h2>", ins("New"))),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(&format!("<p>{}</p>", ins("Fresh text."))),
            "{}",
            r.html
        );
        assert_eq!((r.words_added, r.words_removed), (3, 1));
    }

    #[test]
    fn a_changed_table_cell() {
        let old = "| a | b |\n|---|---|\n| 1 | EU |\n";
        let new = "| a | b |\n|---|---|\n| 1 | US |\n";
        let r = diff(old, new);
        assert_eq!(
            r.html,
            format!(
                "<table>\n<thead>\n<tr><th>a</th><th>b</th></tr>\n</thead>\n<tbody>\n<tr><td>1</td><td>{}{}</td></tr>\n</tbody>\n</table>\n",
                del("EU"),
                ins("US")
            )
        );
    }

    #[test]
    fn a_renamed_and_a_moved_heading() {
        let r = diff(
            "## Data retention {#retention}\n\nText.\n",
            "## Keeping data {#retention}\n\nText.\n",
        );
        assert_eq!(
            r.html,
            format!(
                "<h2 id=\"retention\">{}{}</h2>\n<p>Text.</p>\n",
                del("Data retention"),
                ins("Keeping data")
            )
        );
        let r = diff(
            "## A\n\nOne.\n\n## B\n\nTwo.\n",
            "## B\n\nTwo.\n\n## A\n\nOne.\n",
        );
        assert!(r.html.contains("(moved)"), "{}", r.html);
        assert_eq!((r.words_added, r.words_removed), (0, 0));
    }

    #[test]
    fn identical_versions_have_no_changes_and_fold() {
        let text = "## T\n\nOne.\n\nTwo.\n\nThree.\n";
        let r = diff(text, text);
        assert!(!r.changed);
        assert_eq!(
            r.html,
            "<h2 id=\"t\">T</h2>\n<details class=\"unchanged\">\n<summary>3 unchanged passages</summary>\n<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>\n</details>\n"
        );
        assert_eq!(plain(text, text), "");
    }

    #[test]
    fn removed_blocks_lose_their_ids_and_markup_stays_balanced() {
        let r = diff(
            "## Gone\n\n**Bold** words.\n\nKeep.\n",
            "Keep.\n\nNew *em* text.\n",
        );
        assert!(!r.html.contains("id=\"gone\""), "{}", r.html);
        let opened = r.html.matches("<ins>").count() + r.html.matches("<del>").count();
        let closed = r.html.matches("</ins>").count() + r.html.matches("</del>").count();
        assert_eq!(opened, closed);
        assert!(
            r.html.contains(&format!(
                "<p>{} <em>{}</em> {}</p>",
                ins("New"),
                ins("em"),
                ins("text.")
            )),
            "{}",
            r.html
        );
    }
}
