//! Redlines: what changed between two versions of a document.
//!
//! The versions' blocks (headings, paragraphs, list items, table rows,
//! footnotes) are lined up with `similar` (patience diff on their kind and
//! text); changed blocks are paired and diffed token by token (words, and
//! single characters for CJK text, which has no spaces); adjacent changes
//! are merged into one `<ins>`/`<del>` run. The markup of the result is the
//! new version's: deleted text keeps its words but not its tags, so the
//! output is always balanced HTML.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHashSet};
use similar::DiffOp;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::base::lcs::{self, Id, Interner, Scratch};
use crate::model::markdown::{Block, BlockKind};

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
    /// After a heading's number when it had another before, with `{number}`.
    pub was: &'a str,
    /// Where a moved block came from and went to, with `{place}` (the
    /// heading it was or is under).
    pub moved_from: &'a str,
    pub moved_to: &'a str,
}

/// A redline: the HTML to show, and how many words were added and removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redline {
    pub html: String,
    pub words_added: usize,
    pub words_removed: usize,
    /// False when the two versions have the same text.
    pub changed: bool,
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
    /// The same block in another place: shown where it is now, and marked
    /// where it was; each knows the other place.
    MovedTo {
        old: usize,
        new: usize,
    },
    MovedFrom {
        old: usize,
        new: usize,
    },
}

/// What a block is, for lining up: its kind (not which list or table) and
/// its HTML, so a changed link target, emphasis, id or raw HTML counts as a
/// change even where the words are the same.
fn key(block: &Block) -> (u8, Cow<'_, str>) {
    (kind(block), canonical(&block.html))
}

/// A token as it is compared: its text as `canonical` says, except that
/// footnote numbers are all alike, so a note renumbered because another
/// came or went is no change. (Its id and links come from its label, which
/// renumbering leaves alone.)
fn compared<'a>(token: &Token<'a>) -> Cow<'a, str> {
    match *token {
        Token::Word(word, false) if word.bytes().all(|b| b.is_ascii_digit()) => Cow::Borrowed("#"),
        _ => canonical(token.text()),
    }
}

/// Text as it is compared: in Unicode's composed form (NFC), so that "é"
/// typed as one character and as "e" with a combining accent are the same
/// text. What is shown is still each version's own text.
fn canonical(text: &str) -> Cow<'_, str> {
    if all_composed(text) || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Whether every character of `text` is `always_composed`, read byte by
/// byte where the encoding alone tells: ASCII, the two-byte characters up to
/// U+02FF (Latin letters with their accents) and the CJK ideographs, which
/// are most of the text of the languages a policy is written in.
fn all_composed(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Eight ASCII bytes at a time.
        if let Some(chunk) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0x80; 8]));
            if word & 0x8080_8080_8080_8080 == 0 {
                at += 8;
                continue;
            }
        }
        match bytes[at] {
            0..=0x7F => at += 1,
            // Lead bytes of U+0080..=U+02FF.
            0xC2..=0xCB => at += 2,
            // CJK ideographs U+4E00..=U+9FFF: lead bytes E5 to E9 (U+5000
            // on), or E4 with a second byte from B8 (U+4E00 on).
            0xE5..=0xE9 => at += 3,
            0xE4 if bytes.get(at + 1).is_some_and(|&b| b >= 0xB8) => at += 3,
            _ => {
                let Some(c) = text[at..].chars().next() else {
                    return true;
                };
                if !always_composed(c) {
                    return false;
                }
                at += c.len_utf8();
            }
        }
    }
    true
}

/// Characters that are in composed form whatever surrounds them (a
/// starter that no normalization changes): most text of the languages a
/// policy is written in, checked without the normalization tables.
fn always_composed(c: char) -> bool {
    matches!(c,
        '\0'..='\u{2ff}'
        | '\u{2010}'..='\u{2027}'
        | '\u{3000}'..='\u{3029}'
        | '\u{3030}'..='\u{3098}'
        | '\u{309d}'..='\u{30ff}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ff01}'..='\u{ff5e}')
}

fn kind(block: &Block) -> u8 {
    match block.kind {
        BlockKind::Heading(level) => level,
        BlockKind::Item { .. } => 10,
        BlockKind::Row { head: true, .. } => 11,
        BlockKind::Row { head: false, .. } => 12,
        BlockKind::Other => 13,
    }
}

/// What comparing the versions of one document in one language interns and
/// reuses: ids for blocks, words and tokens (so comparing two is comparing
/// integers), each version's block keys, words and tokens (most versions
/// are in two redlines), and scratch space.
#[derive(Default)]
struct Differ<'a> {
    blocks: Interner<(u8, Cow<'a, str>)>,
    words: Interner<Cow<'a, str>>,
    tokens: Interner<(u8, Cow<'a, str>)>,
    /// The versions being compared now: (old, new).
    pair: (usize, usize),
    /// By version: each block's key.
    keys: FxHashMap<usize, Rc<[Id]>>,
    /// By (version, block): its words, and its HTML's tokens.
    word_ids: FxHashMap<(usize, usize), Rc<Words>>,
    html_tokens: FxHashMap<(usize, usize), Rc<[Token<'a>]>>,
    scratch: Scratch,
}

/// The words that count in a block, as ids, and a sketch of them.
struct Words {
    ids: Vec<Id>,
    sketch: lcs::Sketch,
}

/// Which version of the pair being compared a block is from.
#[derive(Clone, Copy)]
enum Side {
    Old,
    New,
}

impl<'a> Differ<'a> {
    fn version(&self, side: Side) -> usize {
        match side {
            Side::Old => self.pair.0,
            Side::New => self.pair.1,
        }
    }

    /// The ids of the words that count in block `index` of `blocks` (taken
    /// from its HTML, which is split anyway).
    fn words(&mut self, blocks: &'a [Block], index: usize, side: Side) -> Rc<Words> {
        let key = (self.version(side), index);
        if let Some(found) = self.word_ids.get(&key) {
            return Rc::clone(found);
        }
        let tokens = self.html(blocks, index, side);
        // A block in composed form throughout has its words in that form.
        let composed = all_composed(&blocks[index].html);
        let ids: Vec<Id> = tokens
            .iter()
            .filter(|t| t.counts())
            .map(|t| {
                self.words.id(if composed {
                    Cow::Borrowed(t.text())
                } else {
                    canonical(t.text())
                })
            })
            .collect();
        let words = Rc::new(Words {
            sketch: lcs::Sketch::of(&ids),
            ids,
        });
        self.word_ids.insert(key, Rc::clone(&words));
        words
    }

    /// The tokens of the HTML of block `index` of `blocks`.
    fn html(&mut self, blocks: &'a [Block], index: usize, side: Side) -> Rc<[Token<'a>]> {
        let key = (self.version(side), index);
        Rc::clone(self.html_tokens.entry(key).or_insert_with(|| {
            let mut tokens = tokenize(&blocks[index].html);
            uncount_footnote_numbers(&mut tokens);
            tokens.into()
        }))
    }

    /// The key of every block of `blocks`.
    fn keys(&mut self, blocks: &'a [Block], side: Side) -> Rc<[Id]> {
        let version = self.version(side);
        if let Some(found) = self.keys.get(&version) {
            return Rc::clone(found);
        }
        // Only a block with a footnote number (where `uncount_footnote_numbers`
        // looks) is keyed by its tokens; searchers made once for all blocks.
        let numbered = [
            memchr::memmem::Finder::new("<sup class=\"footnote-ref\""),
            memchr::memmem::Finder::new("<span class=\"footnote-number\""),
        ];
        let keys: Rc<[Id]> = (0..blocks.len())
            .map(|i| {
                let block = &blocks[i];
                let html = block.html.as_bytes();
                let key = if numbered.iter().any(|f| f.find(html).is_some()) {
                    let tokens = self.html(blocks, i, side);
                    let text = if all_composed(&block.html) {
                        // Each token is its own text then, but for the numbers.
                        let mut text = String::with_capacity(html.len());
                        for t in tokens.iter() {
                            text.push_str(match *t {
                                Token::Word(w, false) if w.bytes().all(|b| b.is_ascii_digit()) => {
                                    "#"
                                }
                                _ => t.text(),
                            });
                        }
                        text
                    } else {
                        tokens.iter().map(|t| compared(t)).collect()
                    };
                    (kind(block), Cow::Owned(text))
                } else {
                    key(block)
                };
                self.blocks.id(key)
            })
            .collect();
        self.keys.insert(version, Rc::clone(&keys));
        keys
    }

    /// Diff operations between two token lists.
    fn diff_tokens(&mut self, old: &[Token<'a>], new: &[Token<'a>]) -> Vec<DiffOp> {
        let mut ids = |tokens: &[Token<'a>]| -> Vec<Id> {
            // A closing tag is compared with the tag it closes, so that the
            // end of one link is not matched with the end of another.
            let mut open: Vec<(&'a str, Cow<'a, str>)> = Vec::new();
            tokens
                .iter()
                .map(|t| {
                    let key = match *t {
                        Token::Tag(tag) => match element(tag) {
                            Some((name, true)) => {
                                match open.iter().rposition(|(n, _)| n.eq_ignore_ascii_case(name)) {
                                    Some(at) => {
                                        let opening = open.swap_remove(at).1;
                                        open.truncate(at);
                                        (3, Cow::Owned(format!("{tag}{opening}")))
                                    }
                                    None => (0, compared(t)),
                                }
                            }
                            Some((name, false)) => {
                                let key = compared(t);
                                open.push((name, key.clone()));
                                (0, key)
                            }
                            None => (0, compared(t)),
                        },
                        Token::Space(_) => (1, compared(t)),
                        Token::Word(..) => (2, compared(t)),
                    };
                    self.tokens.id(key)
                })
                .collect()
        };
        let (a, b) = (ids(old), ids(new));
        let matched = lcs::matches(&a, &b, lcs::SHOWN, &mut self.scratch);
        lcs::ops(&matched, a.len(), b.len())
    }

    /// The share of words two blocks have in common, in order (0 to 1).
    fn share(&mut self, a: &Words, b: &Words) -> f64 {
        let total = a.ids.len() + b.ids.len();
        if total == 0 {
            return 1.0;
        }
        let enough = |same: usize| (2 * same) as f64 / total as f64 >= SIMILAR;
        // No need to align when the lengths, or the words regardless of
        // order (bounded by their sketches first), already rule it out.
        if !enough(a.ids.len().min(b.ids.len()))
            || !enough(a.sketch.bound(&b.sketch))
            || !enough(lcs::shared(&a.ids, &b.ids, &mut self.scratch))
        {
            return 0.0;
        }
        let (a, b) = (&a.ids, &b.ids);
        let same = lcs::length(a, b, &mut self.scratch);
        (2 * same) as f64 / total as f64
    }
}

/// Lines the blocks of two versions up.
fn align<'a>(old: &'a [Block], new: &'a [Block], differ: &mut Differ<'a>) -> Vec<Entry> {
    let old_keys = differ.keys(old, Side::Old);
    let new_keys = differ.keys(new, Side::New);
    let matched = lcs::matches(&old_keys, &new_keys, lcs::SHOWN, &mut differ.scratch);
    let mut entries = Vec::new();
    for op in lcs::ops(&matched, old.len(), new.len()) {
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
                differ,
                &mut entries,
            ),
        }
    }
    mark_moves(old, &old_keys, &new_keys, differ, &mut entries);
    entries
}

/// Blocks with at least this share of words in common are one block changed.
const SIMILAR: f64 = 0.5;
/// Replaced stretches with at most this many (old block, new block) pairs
/// are paired by comparing every pair; larger ones (a rewritten document)
/// by one alignment of all their words, which costs their length.
const MAX_ALIGNED: usize = 100;
/// Within a large stretch, the blocks between two pairs found by the word
/// alignment are compared pair by pair only up to this many pairs.
const MAX_GAP: usize = 16;

type Blocks = std::ops::Range<usize>;

/// Pairs the blocks of a replaced stretch: the pairs of the same kind with
/// the most words in common, in order, are the changed versions of each
/// other; the rest were removed or added.
fn pair<'a>(
    old: &'a [Block],
    new: &'a [Block],
    olds: Blocks,
    news: Blocks,
    differ: &mut Differ<'a>,
    entries: &mut Vec<Entry>,
) {
    if olds.len() * news.len() <= MAX_ALIGNED {
        return pair_exactly(old, new, olds, news, differ, entries);
    }
    // Every word of the stretch, with the block it is in.
    let mut flatten = |blocks: &'a [Block], range: Blocks, side: Side| {
        let mut words: Vec<Id> = Vec::new();
        let mut owner: Vec<usize> = Vec::new();
        let mut lengths: Vec<usize> = Vec::new();
        for b in range {
            let ids = &differ.words(blocks, b, side).ids;
            owner.extend(std::iter::repeat_n(b, ids.len()));
            lengths.push(ids.len());
            words.extend_from_slice(ids);
        }
        (words, owner, lengths)
    };
    let (old_words, old_owner, old_lengths) = flatten(old, olds.clone(), Side::Old);
    let (new_words, new_owner, new_lengths) = flatten(new, news.clone(), Side::New);
    // Words the alignment matches, counted by (old block, new block): the
    // pairs come in order, increasing in both.
    let mut shared: Vec<(usize, usize, usize)> = Vec::new();
    for (i, j) in lcs::matches(&old_words, &new_words, lcs::COUNTED, &mut differ.scratch) {
        let (o, n) = (old_owner[i], new_owner[j]);
        match shared.last_mut() {
            Some((lo, ln, count)) if (*lo, *ln) == (o, n) => *count += 1,
            _ => shared.push((o, n, 1)),
        }
    }
    let candidates: Vec<(usize, usize, f64)> = shared
        .into_iter()
        .filter_map(|(o, n, count)| {
            let total = old_lengths[o - olds.start] + new_lengths[n - news.start];
            let similarity = (2 * count) as f64 / total as f64;
            (kind(&old[o]) == kind(&new[n]) && similarity >= SIMILAR).then_some((o, n, similarity))
        })
        .collect();
    // The pairs to keep: the heaviest chain increasing in both. Candidates
    // are ordered in both, so those that can come before one form a prefix
    // of the list: all but the ones that share its old or its new block.
    let mut from: Vec<Option<usize>> = Vec::with_capacity(candidates.len());
    // prefix[k]: the best chain among the first k candidates: weight, end.
    let mut prefix: Vec<(f64, Option<usize>)> = vec![(0.0, None)];
    let (mut same_old, mut same_new) = (0, 0);
    for (k, &(o, n, score)) in candidates.iter().enumerate() {
        if k > 0 && candidates[k - 1].0 != o {
            same_old = k;
        }
        if k > 0 && candidates[k - 1].1 != n {
            same_new = k;
        }
        let (before, end) = prefix[same_old.min(same_new)];
        from.push(end);
        let last = prefix[k];
        let weight = before + score;
        prefix.push(if weight > last.0 {
            (weight, Some(k))
        } else {
            last
        });
    }
    let mut chosen = Vec::new();
    let mut at = prefix.last().and_then(|&(_, end)| end);
    while let Some(k) = at {
        chosen.push((candidates[k].0, candidates[k].1));
        at = from[k];
    }
    chosen.reverse();
    // What lies between two chosen pairs is compared pair by pair when
    // small (a renamed heading, a block the alignment missed); otherwise
    // the alignment found nothing there to pair: it was rewritten, removed
    // then added.
    let (mut o, mut n) = (olds.start, news.start);
    for (co, cn) in chosen
        .into_iter()
        .chain(std::iter::once((olds.end, news.end)))
    {
        if (co - o) * (cn - n) <= MAX_GAP {
            pair_exactly(old, new, o..co, n..cn, differ, entries);
        } else {
            entries.extend((o..co).map(|old| Entry::Removed { old }));
            entries.extend((n..cn).map(|new| Entry::Added { new }));
        }
        if co < olds.end {
            entries.push(Entry::Changed { old: co, new: cn });
        }
        (o, n) = (co + 1, cn + 1);
    }
}

/// Pairs a small stretch by comparing every pair of blocks. A heading of
/// the same level pairs with little in common (a renamed heading) when the
/// blocks after both pair too, so a heading inserted before a renamed one
/// does not take its place.
fn pair_exactly<'a>(
    old: &'a [Block],
    new: &'a [Block],
    olds: Blocks,
    news: Blocks,
    differ: &mut Differ<'a>,
    entries: &mut Vec<Entry>,
) {
    let (rows, cols) = (olds.len(), news.len());
    let (first_old, first_new) = (olds.start, news.start);
    let mut similarity = |o: usize, n: usize| {
        let (a, b) = (
            differ.words(old, o, Side::Old),
            differ.words(new, n, Side::New),
        );
        differ.share(&a, &b)
    };
    let mut score = |i: usize, j: usize| -> f64 {
        let (o, n) = (first_old + i, first_new + j);
        if kind(&old[o]) != kind(&new[n]) {
            return 0.0;
        }
        let share = similarity(o, n);
        if share >= SIMILAR {
            return share;
        }
        if matches!(old[o].kind, BlockKind::Heading(_)) {
            let next_pairs = match (old.get(o + 1), new.get(n + 1)) {
                (Some(a), Some(b)) => kind(a) == kind(b) && similarity(o + 1, n + 1) >= SIMILAR,
                (None, None) => true,
                _ => false,
            };
            return if next_pairs { 0.2 } else { 0.05 };
        }
        0.0
    };
    let scores: Vec<Vec<f64>> = (0..rows)
        .map(|i| (0..cols).map(|j| score(i, j)).collect())
        .collect();
    // best[i][j]: the best total score of old[i..] against new[j..].
    let mut best = vec![vec![0.0f64; cols + 1]; rows + 1];
    for i in (0..rows).rev() {
        for j in (0..cols).rev() {
            let mut b = best[i + 1][j].max(best[i][j + 1]);
            if scores[i][j] > 0.0 {
                b = b.max(scores[i][j] + best[i + 1][j + 1]);
            }
            best[i][j] = b;
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < rows || j < cols {
        if i < rows
            && j < cols
            && scores[i][j] > 0.0
            && best[i][j] == scores[i][j] + best[i + 1][j + 1]
        {
            entries.push(Entry::Changed {
                old: olds.start + i,
                new: news.start + j,
            });
            i += 1;
            j += 1;
        } else if i < rows && (j == cols || best[i][j] == best[i + 1][j]) {
            entries.push(Entry::Removed {
                old: olds.start + i,
            });
            i += 1;
        } else {
            entries.push(Entry::Added {
                new: news.start + j,
            });
            j += 1;
        }
    }
}

/// A removed block and an added one with the same kind and text moved.
fn mark_moves<'a>(
    old: &'a [Block],
    old_keys: &[Id],
    new_keys: &[Id],
    differ: &mut Differ<'a>,
    entries: &mut [Entry],
) {
    // The added blocks of each key, in order, still free to pair.
    let mut added: FxHashMap<Id, VecDeque<usize>> = FxHashMap::default();
    for (a, entry) in entries.iter().enumerate() {
        if let Entry::Added { new: n } = *entry {
            added.entry(new_keys[n]).or_default().push_back(a);
        }
    }
    for r in 0..entries.len() {
        let Entry::Removed { old: o } = entries[r] else {
            continue;
        };
        // A block with no words (a rule, an image) is not said to move.
        let wordless = !differ
            .html(old, o, Side::Old)
            .iter()
            .any(|t| matches!(t, Token::Word(..)));
        if wordless {
            continue;
        }
        let Some(a) = added.get_mut(&old_keys[o]).and_then(VecDeque::pop_front) else {
            continue;
        };
        let Entry::Added { new: n } = entries[a] else {
            continue;
        };
        entries[r] = Entry::MovedFrom { old: o, new: n };
        entries[a] = Entry::MovedTo { old: o, new: n };
    }
}

/// Footnote numbers are not the author's words: they change when a note
/// before them comes or goes, and are neither compared nor counted.
fn uncount_footnote_numbers(tokens: &mut [Token<'_>]) {
    let mut numbering: Option<&str> = None;
    for token in tokens {
        match (*token, numbering) {
            (Token::Tag(tag), None) => {
                if tag.starts_with("<sup class=\"footnote-ref\"") {
                    numbering = Some("</sup>");
                } else if tag.starts_with("<span class=\"footnote-number\"") {
                    numbering = Some("</span>");
                }
            }
            (Token::Tag(tag), Some(end)) if tag == end => numbering = None,
            (Token::Word(word, true), Some(_)) => *token = Token::Word(word, false),
            _ => {}
        }
    }
}

/// A piece of a block: markup, a run of spaces, or a word (a CJK character
/// alone, a punctuation mark alone, an entity with its word). A word says
/// whether it counts: whether it has a letter or digit (a punctuation mark
/// does not), as found when the text was split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Token<'a> {
    Tag(&'a str),
    Space(&'a str),
    Word(&'a str, bool),
}

impl<'a> Token<'a> {
    fn text(&self) -> &'a str {
        match self {
            Token::Tag(t) | Token::Space(t) | Token::Word(t, _) => t,
        }
    }

    /// A word that counts (not a lone punctuation mark).
    fn counts(&self) -> bool {
        matches!(self, Token::Word(_, true))
    }
}

/// `char::is_alphanumeric`, with the common cases first: ASCII, and the
/// CJK ideographs (whose every code point is a letter), which the Unicode
/// tables would be searched for one by one.
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        // Latin letters with diacritics (but × and ÷), kana, CJK
        // ideographs, Hangul syllables.
        matches!(c as u32, 0xC0..=0x24F if c != '×' && c != '÷')
            || matches!(c as u32, 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3)
            || c.is_alphanumeric()
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

/// The length of the tag (or comment) at the start of `rest`, which starts
/// with `<`; a `>` inside a quoted attribute value does not end it.
fn tag_len(rest: &str) -> usize {
    if rest.starts_with("<!--") {
        return rest.find("-->").map_or(rest.len(), |i| i + 3);
    }
    // Read by bytes: quotes, `=` and `>` are ASCII; a character beyond
    // ASCII only ends an `=` unless it is white space.
    let bytes = rest.as_bytes();
    let mut quote: Option<u8> = None;
    let mut after_equals = false;
    let mut i = 1;
    while let Some(&b) = bytes.get(i) {
        if !b.is_ascii() {
            let c = rest[i..].chars().next().unwrap_or(' ');
            if !c.is_whitespace() {
                after_equals = false;
            }
            i += c.len_utf8();
            continue;
        }
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if after_equals && matches!(b, b'"' | b'\'') => quote = Some(b),
            None if b == b'>' => return i + 1,
            None => {}
        }
        if !matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
            after_equals = b == b'=';
        }
        i += 1;
    }
    rest.len()
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(text.len() / 3);
    tokens.extend(Tokens { text, at: 0 });
    tokens
}

/// Letters and digits (not of scripts written without spaces) and the
/// combining marks inside words.
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !is_cjk(c) && (is_alphanumeric(c) || matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x0DFF))
}

/// The tokens of a text, one at a time.
struct Tokens<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let token = self.quick().or_else(|| self.general())?;
        self.at += token.text().len();
        Some(token)
    }
}

impl<'a> Tokens<'a> {
    /// The next token when it is plain ASCII through and through, or a
    /// character of Chinese or Japanese (most are): none when it needs the
    /// general rules.
    #[inline]
    fn quick(&self) -> Option<Token<'a>> {
        let bytes = &self.text.as_bytes()[self.at..];
        let first = *bytes.first()?;
        let rest = &self.text[self.at..];
        // Where a run of `class` bytes ends, if what follows is ASCII too
        // (or nothing), so no rule beyond ASCII can extend the run.
        #[inline(always)]
        fn run(bytes: &[u8], class: impl Fn(u8) -> bool) -> Option<usize> {
            let end = bytes.iter().position(|&b| !class(b)).unwrap_or(bytes.len());
            bytes.get(end).is_none_or(u8::is_ascii).then_some(end)
        }
        match first {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => {
                let end = run(bytes, |b| {
                    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
                })?;
                Some(Token::Space(&rest[..end]))
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => {
                let end = run(bytes, |b| b.is_ascii_alphanumeric())?;
                // An apostrophe or hyphen may join it to more.
                match bytes.get(end) {
                    Some(b'\'' | b'-') => None,
                    _ => Some(Token::Word(&rest[..end], true)),
                }
            }
            // A tag or an entity.
            b'<' | b'&' => None,
            // Punctuation alone.
            0x21..=0x7E => Some(Token::Word(&rest[..1], false)),
            // U+3000 to U+9FFF (CJK punctuation, kana, ideographs), of a
            // script written without spaces: alone, as by the general rules,
            // but for the ideographic space.
            0xE3..=0xE9 => {
                let c = rest.chars().next()?;
                (c != '\u{3000}').then(|| Token::Word(&rest[..3], is_alphanumeric(c)))
            }
            _ => None,
        }
    }

    /// The next token, by the general rules.
    fn general(&self) -> Option<Token<'a>> {
        let bytes = self.text.as_bytes();
        let at = self.at;
        let rest = &self.text[at..];
        let first = *bytes.get(at)?;
        let c = if first.is_ascii() {
            char::from(first)
        } else {
            rest.chars().next()?
        };
        let is_tag = first == b'<'
            && bytes
                .get(at + 1)
                .is_some_and(|&n| n.is_ascii_alphabetic() || matches!(n, b'/' | b'!' | b'?'));
        let token = if is_tag {
            Token::Tag(&rest[..tag_len(rest)])
        } else if c.is_whitespace() {
            let len = rest
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len());
            Token::Space(&rest[..len])
        } else if c == '&' {
            // An entity (`&amp;`, `&#39;`) is one token. (Looked for in the
            // next few bytes only: a long text without `;` is not searched to
            // its end for every `&`.)
            let len = match rest.as_bytes()[1..].iter().take(9).position(|&b| b == b';') {
                Some(i)
                    if i <= 8
                        && rest[1..1 + i]
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'#') =>
                {
                    i + 2
                }
                _ => 1,
            };
            let entity = &rest[..len];
            Token::Word(entity, len > 1 && entity_counts(entity))
        } else if is_word(c) {
            // Letters and digits, with apostrophes and hyphens between them.
            let word = rest.as_bytes();
            let (mut end, mut counts) = (0, false);
            let char_at = |i: usize| rest[i..].chars().next();
            while end < word.len() {
                // A run of ASCII letters and digits at once.
                let run = word[end..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .unwrap_or(word.len() - end);
                if run > 0 {
                    end += run;
                    counts = true;
                    continue;
                }
                let Some(ch) = char_at(end) else { break };
                let len = ch.len_utf8();
                if is_word(ch) {
                    counts = counts || is_alphanumeric(ch);
                } else {
                    let joins = end > 0
                        && matches!(ch, '\'' | '’' | '-')
                        && char_at(end + len).is_some_and(is_word);
                    if !joins {
                        break;
                    }
                }
                end += len;
            }
            Token::Word(&rest[..end], counts)
        } else {
            // A CJK character or a punctuation mark, alone.
            Token::Word(&rest[..c.len_utf8()], is_alphanumeric(c))
        };
        Some(token)
    }
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
fn segments<'a>(old: &[Token<'a>], new: &[Token<'a>], differ: &mut Differ<'a>) -> Vec<Segment<'a>> {
    let mut out: Vec<Segment<'a>> = Vec::new();
    for op in differ.diff_tokens(old, new) {
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

/// An old version's tag on the redline: without its id only if the new
/// version uses that id too. So a deleted footnote keeps the id its
/// deleted (or kept) references point at, and ids stay unique.
fn old_tag<'t>(tag: &'t str, new_ids: &FxHashSet<&str>) -> std::borrow::Cow<'t, str> {
    // Most tags have no attribute value to search (`<p>`, `</li>`).
    if !tag.as_bytes().contains(&b'"') {
        return tag.into();
    }
    let id = tag.find(" id=\"").and_then(|start| {
        let value = &tag[start + 5..];
        value.find('"').map(|end| &value[..end])
    });
    match id {
        Some(id) if new_ids.contains(id) => without_id(tag).into(),
        _ => tag.into(),
    }
}

/// The ids the blocks' HTML defines.
fn ids_of(blocks: &[Block]) -> FxHashSet<&str> {
    let mut ids = FxHashSet::default();
    for block in blocks {
        let html = block.html.as_str();
        for at in memchr::memmem::find_iter(html.as_bytes(), " id=\"") {
            let value = &html[at + 5..];
            if let Some(end) = value.find('"') {
                ids.insert(&value[..end]);
            }
        }
    }
    ids
}

/// The class of the redline's own marks, so that an `<ins>` or `<del>` the
/// author wrote (`~~struck~~`) is not taken for one.
pub const MARK_CLASS: &str = "change";
/// The class of a block that is only in the old version (hidden with the
/// marks when the reader asks for the clean new text).
pub const REMOVED_CLASS: &str = "removed";

/// How `mark` writes a run of tokens.
#[derive(Clone, Copy)]
struct Mark<'l> {
    /// `ins` or `del`.
    tag: &'static str,
    /// The visually hidden label (`inserted:`).
    label: &'l str,
    /// Keep the markup (a whole added or removed block); otherwise tags are
    /// dropped (words deleted from inside a changed block).
    keep_tags: bool,
    /// Put the spaces before the first word inside the mark (a deletion with
    /// nothing inserted, so the clean text has no double space).
    lead_inside: bool,
}

/// Writes text tokens inside `<ins>` (or `<del>`), closing it around tags so
/// the markup stays balanced. Spaces alone are never marked.
struct Marker<'o> {
    out: &'o mut String,
    mark: Mark<'o>,
    open: bool,
}

impl Marker<'_> {
    fn text(&mut self, text: &str) {
        if !self.open {
            for part in [
                "<",
                self.mark.tag,
                " class=\"",
                MARK_CLASS,
                "\"><span class=\"visually-hidden\">",
                self.mark.label,
                " </span>",
            ] {
                self.out.push_str(part);
            }
            self.open = true;
        }
        self.out.push_str(text);
    }

    fn close(&mut self) {
        if self.open {
            for part in ["</", self.mark.tag, ">"] {
                self.out.push_str(part);
            }
            self.open = false;
        }
    }
}

/// Renders tokens with every text token marked. Spaces at the edges stay
/// outside the mark unless `lead_inside`.
fn mark(out: &mut String, tokens: &[Token<'_>], mark: Mark<'_>) {
    let mut marker = Marker {
        out,
        mark,
        open: false,
    };
    let mut seen_word = false;
    // A footnote reference deleted whole keeps its superscript and link
    // (without the link's id, which the new version may use), so its
    // number reads as a note's number and leads to the deleted note.
    let mut in_reference = false;
    let mut separated = false;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Tag(t) => {
                let reference = !mark.keep_tags
                    && if in_reference {
                        matches!(*t, "</sup>" | "</a>") || t.starts_with("<a ")
                    } else {
                        t.starts_with("<sup class=\"footnote-ref\"")
                            && tokens[i + 1..].contains(&Token::Tag("</sup>"))
                    };
                if mark.keep_tags {
                    marker.close();
                    marker.out.push_str(t);
                } else if reference {
                    marker.close();
                    marker.out.push_str(&without_id(t));
                    in_reference = *t != "</sup>";
                } else if seen_word && separates_words(token) {
                    // A dropped line break or cell boundary between deleted
                    // words keeps them apart.
                    separated = true;
                }
            }
            Token::Space(s) => {
                // Inside the mark only before a word: between two, or leading if asked.
                // (Tags that are dropped do not stand between.)
                let next_is_word = tokens[i + 1..]
                    .iter()
                    .find(|t| match t {
                        Token::Space(_) => false,
                        Token::Tag(_) => mark.keep_tags,
                        Token::Word(..) => true,
                    })
                    .is_some_and(|t| matches!(t, Token::Word(..)));
                if next_is_word && (marker.open || (mark.lead_inside && !seen_word)) {
                    marker.text(s);
                } else {
                    marker.close();
                    marker.out.push_str(s);
                }
            }
            Token::Word(w, _) => {
                if std::mem::take(&mut separated) && marker.open {
                    marker.text(" ");
                }
                seen_word = true;
                marker.text(w);
            }
        }
    }
    marker.close();
}

fn count(tokens: &[Token<'_>]) -> usize {
    tokens.iter().filter(|t| t.counts()).count()
}

/// Tags that give a block its structure: deleting one from inside a changed
/// block cannot be shown word by word without breaking the HTML (a table
/// cell, a nested list item).
fn is_structural(token: &Token<'_>) -> bool {
    const STRUCTURE: &[&str] = &[
        "td",
        "th",
        "tr",
        "li",
        "ul",
        "ol",
        "table",
        "thead",
        "tbody",
        "p",
        "div",
        "blockquote",
        "pre",
        "dl",
        "dt",
        "dd",
        "section",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    ];
    let Token::Tag(tag) = token else {
        return false;
    };
    let name = tag.trim_start_matches(['<', '/']);
    let name = &name[..name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len())];
    STRUCTURE.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// Whether a tag keeps the words on either side apart, as a reader sees
/// them: a block's structure, or a line break (`<br>`, and the `</br>` some
/// authors write for one).
fn separates_words(token: &Token<'_>) -> bool {
    let Token::Tag(tag) = token else {
        return false;
    };
    let name = tag.trim_start_matches(['<', '/']);
    let name = &name[..name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len())];
    name.eq_ignore_ascii_case("br") || is_structural(token)
}

/// A whole block, marked as inserted (or deleted, without its ids and with
/// the class that hides it from the clean text). Marks text as `mark` does
/// with the tags kept, in one pass over the HTML. Returns the words counted.
/// `source` is the block's HTML, which `tokens` were split from: text that
/// runs on between two tags is written from it as one piece.
fn whole(
    html: &mut String,
    source: &str,
    tokens: &[Token<'_>],
    tag: &'static str,
    labels: &Labels<'_>,
    new_ids: &FxHashSet<&str>,
) -> usize {
    let deleted = tag == "del";
    let label = if deleted {
        labels.deleted
    } else {
        labels.inserted
    };
    let mut marked =
        String::with_capacity(tokens.iter().map(|t| t.text().len()).sum::<usize>() + 128);
    let mut marker = Marker {
        out: &mut marked,
        mark: Mark {
            tag,
            label,
            keep_tags: true,
            lead_inside: false,
        },
        open: false,
    };
    // Where a token's text lies in `source`, when it is taken from there.
    let offset = |text: &str| {
        let at = (text.as_ptr() as usize).checked_sub(source.as_ptr() as usize)?;
        (at + text.len() <= source.len()).then_some(at)
    };
    // Text to mark that is not written yet: a stretch of `source`.
    let mut run: Option<(usize, usize)> = None;
    let flush = |marker: &mut Marker<'_>, run: &mut Option<(usize, usize)>| {
        if let Some((from, to)) = run.take() {
            marker.text(&source[from..to]);
        }
    };
    // Adds text to the run when it follows on in `source`, else starts one.
    let to_mark = |marker: &mut Marker<'_>, run: &mut Option<(usize, usize)>, text: &str| match (
        offset(text),
        *run,
    ) {
        (Some(at), Some((from, to))) if to == at => *run = Some((from, at + text.len())),
        (Some(at), _) => {
            flush(marker, run);
            *run = Some((at, at + text.len()));
        }
        (None, _) => {
            flush(marker, run);
            marker.text(text);
        }
    };
    let mut words = 0;
    // Spaces go inside an open mark only if a word follows them.
    let mut spaces: Option<&str> = None;
    let mut open = OpenElements::default();
    let mut holds_text = true;
    for &token in tokens {
        match token {
            Token::Space(s) => spaces = Some(s),
            Token::Word(w, counts) if !holds_text => {
                // The author's text where HTML allows none (directly in a
                // list or a table): a mark there would be one more error,
                // so it stays as written, in the block marked whole.
                words += usize::from(counts);
                flush(&mut marker, &mut run);
                marker.close();
                marker.out.push_str(spaces.take().unwrap_or_default());
                marker.out.push_str(w);
            }
            Token::Word(w, counts) => {
                words += usize::from(counts);
                if let Some(s) = spaces.take().filter(|s| !extends(&mut run, source, s)) {
                    if marker.open || run.is_some() {
                        to_mark(&mut marker, &mut run, s);
                    } else {
                        marker.out.push_str(s);
                    }
                }
                if !extends(&mut run, source, w) {
                    to_mark(&mut marker, &mut run, w);
                }
            }
            Token::Tag(t) => {
                open.tag(t);
                holds_text = open.holds_text();
                flush(&mut marker, &mut run);
                marker.close();
                if let Some(s) = spaces.take() {
                    marker.out.push_str(s);
                }
                if deleted {
                    marker.out.push_str(&old_tag(t, new_ids));
                } else {
                    marker.out.push_str(t);
                }
            }
        }
    }
    flush(&mut marker, &mut run);
    marker.close();
    if let Some(s) = spaces {
        marked.push_str(s);
    }
    if deleted {
        push_with_class(html, &marked, REMOVED_CLASS);
    } else {
        html.push_str(&marked);
    }
    words
}

/// Adds `text` to the run of `source` to mark when it follows on there (as
/// the next token of a block's HTML does): what `whole` does with most
/// tokens, without its general rules.
#[inline(always)]
fn extends(run: &mut Option<(usize, usize)>, source: &str, text: &str) -> bool {
    match run {
        Some((_, to))
            if text.as_ptr() as usize == source.as_ptr() as usize + *to
                && *to + text.len() <= source.len() =>
        {
            *to += text.len();
            true
        }
        _ => false,
    }
}

/// The element a tag opens or closes (`true`): none for a comment, a void
/// element or a self-closing tag, which open nothing.
fn element(tag: &str) -> Option<(&str, bool)> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let rest = tag.strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let name = &rest[..end];
    let void = VOID.iter().any(|v| v.eq_ignore_ascii_case(name));
    if name.is_empty() || void || tag.ends_with("/>") {
        return None;
    }
    Some((name, closing))
}

/// The elements open at a point of a block's HTML, as far as it takes to
/// know whether text may stand there.
#[derive(Default)]
struct OpenElements<'t> {
    names: Vec<&'t str>,
}

impl<'t> OpenElements<'t> {
    fn tag(&mut self, tag: &'t str) {
        match element(tag) {
            Some((name, true)) => {
                if let Some(at) = self
                    .names
                    .iter()
                    .rposition(|n| n.eq_ignore_ascii_case(name))
                {
                    self.names.truncate(at);
                }
            }
            Some((name, false)) => self.names.push(name),
            None => {}
        }
    }

    /// Whether text may stand here: not directly in a list, a table or its
    /// parts, a definition list or a select.
    fn holds_text(&self) -> bool {
        const NO_TEXT: &[&str] = &[
            "ul", "ol", "table", "thead", "tbody", "tfoot", "tr", "colgroup", "dl", "select",
            "optgroup",
        ];
        !self
            .names
            .last()
            .is_some_and(|n| NO_TEXT.iter().any(|t| t.eq_ignore_ascii_case(n)))
    }
}

/// Adds `class` to the first element of `html`.
fn with_class(html: &str, class: &str) -> String {
    let mut out = String::with_capacity(html.len() + class.len() + 9);
    push_with_class(&mut out, html, class);
    out
}

/// `with_class`, written at the end of `out`.
fn push_with_class(out: &mut String, html: &str, class: &str) {
    let Some(end) = html.find('>') else {
        out.push_str(html);
        return;
    };
    let tag = &html[..end];
    const ATTR: &str = " class=\"";
    match tag.find(ATTR) {
        Some(at) => {
            let value = at + ATTR.len();
            out.push_str(&html[..value]);
            out.push_str(class);
            out.push(' ');
            out.push_str(&html[value..]);
        }
        None => {
            let name_end = tag
                .find(|c: char| c.is_whitespace() || c == '/')
                .unwrap_or(end);
            out.push_str(&html[..name_end]);
            out.push_str(" class=\"");
            out.push_str(class);
            out.push('"');
            out.push_str(&html[name_end..]);
        }
    }
}

/// Redlines between the versions of one document in one language. Most
/// versions are in two redlines (as the newer and as the older), so what a
/// version's blocks need for comparing is worked out once, and kept while
/// the comparer lives.
pub struct Comparer<'a> {
    versions: Vec<&'a [Block]>,
    differ: Differ<'a>,
}

impl<'a> Comparer<'a> {
    /// A comparer of these versions' blocks.
    pub fn new(versions: Vec<&'a [Block]>) -> Self {
        Comparer {
            versions,
            differ: Differ::default(),
        }
    }

    /// The HTML redline from version `old` to version `new` (indices into
    /// the versions given to `new`).
    pub fn redline(&mut self, old: usize, new: usize, labels: &Labels<'_>) -> Redline {
        self.differ.pair = (old, new);
        redline_of(
            self.versions[old],
            self.versions[new],
            &mut self.differ,
            labels,
        )
    }
}

/// The HTML redline of two versions' blocks.
pub fn redline(old: &[Block], new: &[Block], labels: &Labels<'_>) -> Redline {
    Comparer::new(vec![old, new]).redline(0, 1, labels)
}

fn redline_of<'a>(
    old: &'a [Block],
    new: &'a [Block],
    differ: &mut Differ<'a>,
    labels: &Labels<'_>,
) -> Redline {
    let entries = align(old, new, differ);
    let new_ids = ids_of(new);
    let (old_numbers, new_numbers) = (clause_numbers(old), clause_numbers(new));
    let number = |html: String, o: Option<usize>, n: Option<usize>| {
        let old_number = o.and_then(|o| old_numbers[o].as_deref());
        match n {
            Some(n) => with_number(html, new_numbers[n].as_deref(), old_number, labels),
            None => with_number(html, old_number, None, labels),
        }
    };
    let mut places = Places::new(old, new);
    let mut words_added = 0;
    let mut words_removed = 0;
    // Each entry's HTML, and whether it is unchanged.
    let mut pieces: Vec<(Option<BlockKind>, String, bool)> = Vec::new();
    for entry in &entries {
        let mut html = String::new();
        let (kind, same) = match *entry {
            Entry::Same { old: o, new: n } => {
                html = number(new[n].html.clone(), Some(o), Some(n));
                (new[n].kind, true)
            }
            Entry::Changed { old: o, new: n } => {
                let Compared {
                    a,
                    b,
                    segments,
                    whole: shown_whole,
                    ..
                } = compare(differ, old, new, o, n);
                if shown_whole {
                    let (mut removed, mut added) = (String::new(), String::new());
                    words_removed += whole(&mut removed, &old[o].html, &a, "del", labels, &new_ids);
                    words_added += whole(&mut added, &new[n].html, &b, "ins", labels, &new_ids);
                    html = number(removed, Some(o), None);
                    html.push('\n');
                    html.push_str(&number(added, None, Some(n)));
                    pieces.push((Some(new[n].kind), html, false));
                    continue;
                }
                for segment in &segments {
                    match segment {
                        Segment::Same(tokens) => {
                            tokens.iter().for_each(|t| html.push_str(t.text()))
                        }
                        Segment::Change { deleted, inserted } => {
                            words_removed += count(deleted);
                            words_added += count(inserted);
                            let deletes_words =
                                deleted.iter().any(|t| matches!(t, Token::Word(..)));
                            let inserts_words =
                                inserted.iter().any(|t| matches!(t, Token::Word(..)));
                            // The space before the deleted words stays
                            // outside only if the inserted ones start with
                            // one too (else the clean text would gain it).
                            let inserted_leads_with_space = inserted
                                .iter()
                                .find(|t| !matches!(t, Token::Tag(_)))
                                .is_some_and(|t| matches!(t, Token::Space(_)));
                            if deletes_words {
                                mark(
                                    &mut html,
                                    deleted,
                                    Mark {
                                        tag: "del",
                                        label: labels.deleted,
                                        keep_tags: false,
                                        lead_inside: !inserts_words || !inserted_leads_with_space,
                                    },
                                );
                            }
                            mark(
                                &mut html,
                                inserted,
                                Mark {
                                    tag: "ins",
                                    label: labels.inserted,
                                    keep_tags: true,
                                    lead_inside: false,
                                },
                            );
                        }
                    }
                }
                html = number(html, Some(o), Some(n));
                (new[n].kind, false)
            }
            Entry::Added { new: n } => {
                let tokens = differ.html(new, n, Side::New);
                words_added += whole(&mut html, &new[n].html, &tokens, "ins", labels, &new_ids);
                html = number(html, None, Some(n));
                (new[n].kind, false)
            }
            Entry::Removed { old: o } => {
                let tokens = differ.html(old, o, Side::Old);
                words_removed += whole(&mut html, &old[o].html, &tokens, "del", labels, &new_ids);
                html = number(html, Some(o), None);
                (old[o].kind, false)
            }
            Entry::MovedTo { old: o, new: n } => {
                let numbered = number(new[n].html.clone(), None, Some(n));
                let note = places.note(differ, Entry::MovedTo { old: o, new: n }, labels);
                html.push_str(&with_note(&numbered, note.as_deref(), "moved-to"));
                (new[n].kind, false)
            }
            Entry::MovedFrom { old: o, new: n } => {
                let mut moved = String::new();
                let tokens = differ.html(old, o, Side::Old);
                whole(&mut moved, &old[o].html, &tokens, "del", labels, &new_ids);
                let moved = number(moved, Some(o), None);
                let note = places.note(differ, Entry::MovedFrom { old: o, new: n }, labels);
                html.push_str(&with_note(&moved, note.as_deref(), "moved-from"));
                (old[o].kind, false)
            }
        };
        pieces.push((Some(kind), html, same));
    }
    let changed = entries.iter().any(|e| !matches!(e, Entry::Same { .. }));
    Redline {
        html: no_skipped_levels(assemble(&pieces, labels)),
        words_added,
        words_removed,
        changed,
    }
}

/// The clause number of each heading among `blocks`, as the document page
/// numbers them (`1.`, `1.2`, `1.2.3` for the body's top three levels).
fn clause_numbers(blocks: &[Block]) -> Vec<Option<String>> {
    let (mut c1, mut c2, mut c3) = (0, 0, 0);
    blocks
        .iter()
        .map(|b| match b.kind {
            BlockKind::Heading(2) => {
                (c1, c2, c3) = (c1 + 1, 0, 0);
                Some(format!("{c1}."))
            }
            BlockKind::Heading(3) => {
                (c2, c3) = (c2 + 1, 0);
                Some(format!("{c1}.{c2}"))
            }
            BlockKind::Heading(4) => {
                c3 += 1;
                Some(format!("{c1}.{c2}.{c3}"))
            }
            _ => None,
        })
        .collect()
}

/// Two paired blocks compared: their HTML tokens, the word-by-word
/// changes, and how they are shown. The HTML redline and `clause diff` both
/// take it from here, so they mark the same words and count them alike.
struct Compared<'a> {
    a: Rc<[Token<'a>]>,
    b: Rc<[Token<'a>]>,
    segments: Vec<Segment<'a>>,
    /// Shown as the old block deleted and the new one inserted, whole:
    /// when only markup changed (a link target, emphasis), which words
    /// alone would hide, or when marking words would break the structure
    /// (a table cell or a nested list item deleted).
    whole: bool,
    /// No word changed, only markup.
    markup_only: bool,
}

fn compare<'a>(
    differ: &mut Differ<'a>,
    old: &'a [Block],
    new: &'a [Block],
    o: usize,
    n: usize,
) -> Compared<'a> {
    let (a, b) = (
        differ.html(old, o, Side::Old),
        differ.html(new, n, Side::New),
    );
    let segments = segments(&a, &b, differ);
    let changes = || {
        segments.iter().filter_map(|s| match s {
            Segment::Change { deleted, inserted } => Some((deleted, inserted)),
            Segment::Same(_) => None,
        })
    };
    let markup_only = !changes().any(|(d, i)| {
        d.iter()
            .chain(i.iter())
            .any(|t| matches!(t, Token::Word(..)))
    });
    let structure_lost = changes().any(|(d, _)| d.iter().any(is_structural));
    Compared {
        whole: markup_only || structure_lost || marks_where_no_text(&segments),
        a,
        b,
        segments,
        markup_only,
    }
}

/// Whether marking the changes word by word would put a mark where HTML
/// allows no text (the author's text directly in a list or a table of raw
/// HTML): such a block is shown whole, its text as written.
fn marks_where_no_text(segments: &[Segment<'_>]) -> bool {
    let mut open = OpenElements::default();
    for segment in segments {
        match segment {
            Segment::Same(tokens) => tokens.iter().for_each(|t| {
                if let Token::Tag(tag) = t {
                    open.tag(tag);
                }
            }),
            Segment::Change { deleted, inserted } => {
                let words =
                    |tokens: &[Token<'_>]| tokens.iter().any(|t| matches!(t, Token::Word(..)));
                if words(deleted) && !open.holds_text() {
                    return true;
                }
                for token in inserted {
                    match token {
                        Token::Tag(tag) => open.tag(tag),
                        Token::Word(..) if !open.holds_text() => return true,
                        _ => {}
                    }
                }
            }
        }
    }
    false
}

/// The redline with no heading level skipped (the page's title is the
/// `<h1>`): each version's headings step down one level at a time, but
/// interleaved they may not (a deleted `<h4>` after an inserted `<h2>`), so
/// such a heading is shown one level below the one before it.
fn no_skipped_levels(html: String) -> String {
    let level_at = |at: usize| -> Option<u8> {
        let bytes = html.as_bytes();
        match (bytes.get(at + 2), bytes.get(at + 3)) {
            (Some(d @ b'1'..=b'6'), Some(b' ' | b'>')) => Some(d - b'0'),
            _ => None,
        }
    };
    let mut fixes: Vec<(usize, u8)> = Vec::new();
    let mut previous = 1;
    for at in memchr::memmem::find_iter(html.as_bytes(), "<h") {
        let Some(level) = level_at(at) else { continue };
        let shown = level.min(previous + 1);
        if shown != level {
            // The opening tag, and the closing tag that ends this heading.
            fixes.push((at + 2, shown));
            let close = format!("</h{level}>");
            if let Some(end) = html[at..].find(&close) {
                fixes.push((at + end + 3, shown));
            }
        }
        previous = shown;
    }
    if fixes.is_empty() {
        return html;
    }
    let mut bytes = html.into_bytes();
    for (at, level) in fixes {
        bytes[at] = b'0' + level;
    }
    // Only ASCII digits were replaced by ASCII digits.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Puts the clause number (and the old one, if it changed) at the start of
/// the heading that `html` starts with. The numbers are the redline's own
/// text, so that a clause can be cited from it as from the document page.
fn with_number(
    html: String,
    number: Option<&str>,
    was: Option<&str>,
    labels: &Labels<'_>,
) -> String {
    let Some(number) = number else {
        return html;
    };
    let starts_heading =
        html.starts_with("<h") && html.as_bytes().get(2).is_some_and(u8::is_ascii_digit);
    let Some(end) = html.find('>').filter(|_| starts_heading) else {
        return html;
    };
    let was = match was.filter(|w| *w != number) {
        Some(old) => format!(
            " <span class=\"number-was\">{}</span>",
            escape(&crate::i18n::fill(labels.was, &[("number", old)]))
        ),
        None => String::new(),
    };
    format!(
        "{}<span class=\"clause-number\">{number}{was}</span> {}",
        &html[..=end],
        &html[end + 1..]
    )
}

/// Where blocks are: the heading each block is under, in each version,
/// for saying where a moved block came from or went to.
struct Places<'a> {
    old: &'a [Block],
    new: &'a [Block],
    old_heading: Vec<Option<usize>>,
    new_heading: Vec<Option<usize>>,
    /// The last move noted, to note a run of blocks that moved together once.
    last: Option<Entry>,
}

/// Which of a move's two places a note is about.
#[derive(Clone, Copy)]
enum Place {
    /// Where the block was (old), said where it is now.
    From,
    /// Where it is now (new), said where it was.
    To,
}

impl<'a> Places<'a> {
    fn new(old: &'a [Block], new: &'a [Block]) -> Self {
        let headings = |blocks: &[Block]| {
            let mut above = None;
            blocks
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let this = above;
                    if matches!(b.kind, BlockKind::Heading(_)) {
                        above = Some(i);
                    }
                    this
                })
                .collect()
        };
        Places {
            old,
            new,
            old_heading: headings(old),
            new_heading: headings(new),
            last: None,
        }
    }

    /// The heading above a block, as text.
    fn heading(&self, differ: &mut Differ<'a>, place: Place, index: usize) -> Option<String> {
        let (blocks, above, side) = match place {
            Place::From => (self.old, &self.old_heading, Side::Old),
            Place::To => (self.new, &self.new_heading, Side::New),
        };
        let h = above[index]?;
        Some(plain(&differ.html(blocks, h, side)).trim().to_string())
    }

    /// The note for a move (`MovedTo` or `MovedFrom`): where the block came
    /// from or went to, or only that it moved when that is the section it
    /// is in anyway or the top of the document. None for a block that moved
    /// with the one before it (from the same place to the same place).
    fn note(
        &mut self,
        differ: &mut Differ<'a>,
        entry: Entry,
        labels: &Labels<'_>,
    ) -> Option<String> {
        let with_previous = matches!(
            (self.last, entry),
            (Some(Entry::MovedTo { old: po, new: pn }), Entry::MovedTo { old: o, new: n })
                | (Some(Entry::MovedFrom { old: po, new: pn }), Entry::MovedFrom { old: o, new: n })
                if o == po + 1 && n == pn + 1
        );
        self.last = Some(entry);
        if with_previous {
            return None;
        }
        let (o, n) = match entry {
            Entry::MovedTo { old, new } | Entry::MovedFrom { old, new } => (old, new),
            _ => return None,
        };
        let was = self.heading(differ, Place::From, o);
        let is = self.heading(differ, Place::To, n);
        let (template, place) = match entry {
            Entry::MovedTo { .. } => (labels.moved_from, was.clone()),
            _ => (labels.moved_to, is.clone()),
        };
        Some(match place {
            Some(place) if was != is && !place.is_empty() => {
                crate::i18n::fill(template, &[("place", &place)])
            }
            _ => labels.moved.to_string(),
        })
    }
}

/// Marks a moved block with `class`, and puts its note (if any) where the
/// block's element can hold text: at the end of a paragraph, item or
/// heading, in the last cell of a row, or else after the block.
fn with_note(html: &str, note: Option<&str>, class: &str) -> String {
    let marked = with_class(html, class);
    let Some(note) = note else {
        return marked;
    };
    let span = format!(" <span class=\"moved\">({})</span>", escape(note));
    let trimmed = marked.trim_end();
    let closing = |name: &str| trimmed.rfind(&format!("</{name}>"));
    let inside = if trimmed.starts_with("<tr") {
        closing("td").max(closing("th"))
    } else {
        trimmed.rfind("</").filter(|&at| {
            let name = trimmed[at + 2..].trim_end_matches('>');
            at + 2 + name.len() + 1 == trimmed.len()
                && matches!(
                    name,
                    "p" | "li"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "div"
                        | "blockquote"
                        | "dd"
                        | "dt"
                )
        })
    };
    match inside {
        Some(at) => format!("{}{span}{}", &marked[..at], &marked[at..]),
        None => format!("{trimmed}\n<p class=\"moved\">({})</p>\n", escape(note)),
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
            let summary = crate::i18n::fill(labels.unchanged, &[("count", &run.to_string())]);
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
/// The words of `clause diff`'s text output (a command's output is in
/// English, like its messages).
const TEXT_LABELS: Labels<'static> = Labels {
    inserted: "inserted:",
    deleted: "deleted:",
    moved: "moved",
    unchanged: "{count} unchanged passages",
    was: "(was {number})",
    moved_from: "moved from “{place}”",
    moved_to: "moved to “{place}”",
};

pub fn text(old: &[Block], new: &[Block], style: TextStyle) -> (String, usize, usize) {
    let mut differ = Differ {
        pair: (0, 1),
        ..Differ::default()
    };
    let entries = align(old, new, &mut differ);
    let mut places = Places::new(old, new);
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
                let compared = compare(&mut differ, old, new, o, n);
                if compared.whole {
                    removed += count(&compared.a);
                    added += count(&compared.b);
                    // Only the markup changed: say so, since the words are the same.
                    let note = if compared.markup_only {
                        " (links, formatting or anchors changed)"
                    } else {
                        ""
                    };
                    format!(
                        "{}{del_open}{}{del_close}\n{}{ins_open}{}{ins_close}{note}",
                        prefix(&old[o]),
                        plain(&compared.a).trim(),
                        prefix(&new[n]),
                        plain(&compared.b).trim()
                    )
                } else {
                    let mut line = String::new();
                    for segment in &compared.segments {
                        match segment {
                            Segment::Same(tokens) => line.push_str(&plain(tokens)),
                            Segment::Change { deleted, inserted } => {
                                removed += count(deleted);
                                added += count(inserted);
                                // Spaces at the edges stay outside the marks.
                                let (deleted, inserted) = (plain(deleted), plain(inserted));
                                let (d_lead, d_core, d_trail) = trim_spaces(&deleted);
                                let (i_lead, i_core, i_trail) = trim_spaces(&inserted);
                                let (lead, trail) = if i_core.is_empty() && i_lead.is_empty() {
                                    (d_lead, d_trail)
                                } else {
                                    (i_lead, i_trail)
                                };
                                if !d_core.is_empty() && i_core.is_empty() {
                                    // A deletion alone takes the space before it along.
                                    line.push_str(&format!("{del_open}{lead}{d_core}{del_close}"));
                                } else {
                                    line.push_str(lead);
                                }
                                if !d_core.is_empty() && !i_core.is_empty() {
                                    line.push_str(&format!("{del_open}{d_core}{del_close}"));
                                }
                                if !i_core.is_empty() {
                                    line.push_str(&format!("{ins_open}{i_core}{ins_close}"));
                                }
                                line.push_str(trail);
                            }
                        }
                    }
                    // Pieces from different segments may each bring a space.
                    while line.contains("  ") {
                        line = line.replace("  ", " ");
                    }
                    format!("{}{}", prefix(&new[n]), line.trim())
                }
            }
            Entry::Added { new: n } | Entry::MovedTo { new: n, .. } => {
                let moved = matches!(entry, Entry::MovedTo { .. });
                let note = if moved {
                    let note = places.note(&mut differ, *entry, &TEXT_LABELS);
                    format!(" ({})", note.as_deref().unwrap_or(TEXT_LABELS.moved))
                } else {
                    added += count(&differ.html(new, n, Side::New));
                    String::new()
                };
                format!(
                    "{}{ins_open}{}{ins_close}{note}",
                    prefix(&new[n]),
                    plain(&differ.html(new, n, Side::New)).trim()
                )
            }
            Entry::Removed { old: o } | Entry::MovedFrom { old: o, .. } => {
                let moved = matches!(entry, Entry::MovedFrom { .. });
                let note = if moved {
                    let note = places.note(&mut differ, *entry, &TEXT_LABELS);
                    format!(" ({})", note.as_deref().unwrap_or(TEXT_LABELS.moved))
                } else {
                    removed += count(&differ.html(old, o, Side::Old));
                    String::new()
                };
                format!(
                    "{}{del_open}{}{del_close}{note}",
                    prefix(&old[o]),
                    plain(&differ.html(old, o, Side::Old)).trim()
                )
            }
        };
        let changes_heading = match *entry {
            Entry::Changed { new: n, .. }
            | Entry::Added { new: n }
            | Entry::MovedTo { new: n, .. } => is_heading(&new[n]),
            Entry::Removed { old: o } | Entry::MovedFrom { old: o, .. } => is_heading(&old[o]),
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
                let heading = plain(&differ.html(new, h, Side::New));
                out.push_str(&format!("{}{}\n\n", prefix(&new[h]), heading.trim()));
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

/// Text split into leading spaces, the rest, and trailing spaces (none
/// when there is no rest).
fn trim_spaces(text: &str) -> (&str, &str, &str) {
    let core = text.trim();
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = if core.is_empty() {
        ""
    } else {
        &text[text.trim_end().len()..]
    };
    (lead, core, trail)
}

/// HTML tokens as plain text, for `clause diff`: tags dropped (a table
/// cell after the first starts with `| `, and those that separate items and
/// lines become spaces), white space made one space, and the entities that
/// Markdown writes decoded.
fn plain(tokens: &[Token<'_>]) -> String {
    let mut out = String::new();
    let mut gap: Option<&str> = None;
    let mut after_row = false;
    for token in tokens {
        match *token {
            Token::Tag(tag) => {
                let name = tag.trim_start_matches(['<', '/']);
                let name = &name[..name.find([' ', '>', '/']).unwrap_or(name.len())];
                let opening = !tag.starts_with("</");
                if opening && matches!(name, "td" | "th") && !after_row {
                    gap = Some(" | ");
                } else if gap.is_none() && separates_words(token) {
                    gap = Some(" ");
                }
                after_row = opening && name == "tr";
            }
            Token::Space(_) => {
                gap.get_or_insert(" ");
                after_row = false;
            }
            // A footnote's number (text shows no footnote numbers).
            Token::Word(word, false) if word.bytes().all(|b| b.is_ascii_digit()) => {}
            Token::Word(word, _) => {
                if let Some(gap) = gap.take() {
                    out.push_str(gap);
                }
                after_row = false;
                match decode_entity(word) {
                    Some(c) => out.push(c),
                    None => out.push_str(word),
                }
            }
        }
    }
    if let Some(gap) = gap {
        out.push_str(gap);
    }
    out
}

/// Whether an entity (`&eacute;`, `&#233;`) is a letter or digit, a word
/// that counts, rather than punctuation or a space (`&quot;`, `&nbsp;`).
fn entity_counts(entity: &str) -> bool {
    const PUNCTUATION: &[&str] = &[
        "shy", "ensp", "emsp", "thinsp", "zwj", "zwnj", "ndash", "mdash", "hellip", "laquo",
        "raquo", "lsquo", "rsquo", "sbquo", "ldquo", "rdquo", "bdquo", "copy", "reg", "trade",
        "sect", "para", "middot", "bull", "dagger", "Dagger", "deg", "times", "divide", "euro",
        "pound", "yen", "cent", "iexcl", "iquest", "brvbar", "plusmn", "not", "macr", "acute",
    ];
    match decode_entity(entity) {
        Some(c) => is_alphanumeric(c),
        None => {
            let name = entity.trim_start_matches('&').trim_end_matches(';');
            name.bytes().all(|b| b.is_ascii_alphanumeric()) && !PUNCTUATION.contains(&name)
        }
    }
}

/// The character an HTML entity stands for, if `word` is one that
/// pulldown-cmark writes or a numeric one.
fn decode_entity(word: &str) -> Option<char> {
    let name = word.strip_prefix('&')?.strip_suffix(';')?;
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
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
    use crate::model::markdown::{RenderOptions, blocks};

    pub(super) const OPTIONS: RenderOptions<'static> = RenderOptions {
        base_path: "/",
        anchor_label: "",
        id_prefix: "",
        reserved_ids: &[],
        sources: None,
        host_paths: &[],
        top_heading: 2,
    };
    pub(super) const LABELS: Labels<'static> = super::TEXT_LABELS;

    #[test]
    fn always_composed_agrees_with_the_normalization_tables() {
        let fast: Vec<char> = (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|&c| always_composed(c))
            .collect();
        assert!(fast.len() > 20_000);
        // The byte-wise reading agrees with it, character by character.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            for text in [format!("a{c}b"), format!("eight by{c}tes, then more")] {
                assert_eq!(
                    all_composed(&text),
                    always_composed(c),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        for c in fast {
            assert_eq!(
                is_nfc_quick(std::iter::once(c)),
                IsNormalized::Yes,
                "U+{:04X}",
                c as u32
            );
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(c),
                0,
                "U+{:04X}",
                c as u32
            );
        }
    }
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
        format!(
            "<ins class=\"change\"><span class=\"visually-hidden\">inserted: </span>{text}</ins>"
        )
    }

    fn del(text: &str) -> String {
        format!(
            "<del class=\"change\"><span class=\"visually-hidden\">deleted: </span>{text}</del>"
        )
    }

    /// Asserts that `html` contains `part`, showing the whole of it if not.
    #[track_caller]
    fn has(html: &str, part: &str) {
        assert!(html.contains(part), "no `{part}` in:\n{html}");
    }

    fn number(number: &str) -> String {
        format!("<span class=\"clause-number\">{number}</span> ")
    }

    #[test]
    fn headings_carry_their_clause_number_and_the_old_one_when_it_changed() {
        let old = "## Scope\n\nA.\n\n## Data\n\nB.\n\n### Retention\n\nC.\n\n## Rights\n\nD.\n";
        let new = "## Scope\n\nA.\n\n## Cookies\n\nNew.\n\n## Data\n\nB.\n\n### Retention\n\nC.\n";
        let r = diff(old, new);
        let was = |n: &str, w: &str| {
            format!(
                "<span class=\"clause-number\">{n} <span class=\"number-was\">(was {w})</span></span> "
            )
        };
        has(
            &r.html,
            &format!("<h2 id=\"scope\">{}Scope</h2>", number("1.")),
        );
        has(
            &r.html,
            &format!("<h2 id=\"cookies\">{}{}</h2>", number("2."), ins("Cookies")),
        );
        has(
            &r.html,
            &format!("<h2 id=\"data\">{}Data</h2>", was("3.", "2.")),
        );
        has(
            &r.html,
            &format!("<h3 id=\"retention\">{}Retention</h3>", was("3.1", "2.1")),
        );
        // A removed clause is cited by the number it had.
        has(&r.html, &format!("{}{}</h2>", number("3."), del("Rights")));
    }

    #[test]
    fn a_move_says_from_and_to_where_once_and_in_a_valid_place() {
        let rights =
            "## Rights\n\nYou may ask for a copy.\n\nYou may object.\n\nYou may complain.\n";
        let old = format!(
            "## Data\n\nWe keep logs for two years.\n\nWe keep invoices for ten years.\n\n{rights}"
        );
        let new = format!(
            "## Data\n\n{rights}\nWe keep logs for two years.\n\nWe keep invoices for ten years.\n"
        );
        let (old, new) = (old.as_str(), new.as_str());
        let r = diff(old, new);
        let notes: Vec<&str> = r
            .html
            .match_indices("<span class=\"moved\">")
            .map(|(at, _)| r.html[at..].split("</span>").next().unwrap_or_default())
            .collect();
        // Two paragraphs that moved together: one note in each place.
        assert_eq!(
            notes,
            [
                "<span class=\"moved\">(moved to “Rights”)",
                "<span class=\"moved\">(moved from “Data”)"
            ],
            "{}",
            r.html
        );
        assert_eq!(
            r.html.matches("class=\"moved-from removed\"").count(),
            2,
            "{}",
            r.html
        );
        assert_eq!(
            r.html.matches("<p class=\"moved-to\">").count(),
            2,
            "{}",
            r.html
        );
        let (text, added, removed) = text(
            &blocks(old, &OPTIONS),
            &blocks(new, &OPTIONS),
            TextStyle::Plain,
        );
        assert!(
            text.contains("[-We keep logs for two years.-] (moved to “Rights”)"),
            "{text}"
        );
        assert!(
            text.contains("{+We keep logs for two years.+} (moved from “Data”)"),
            "{text}"
        );
        assert_eq!((added, removed), (0, 0));

        // Within its own section a move is only a move; a row's note is in
        // its last cell, never directly in the row.
        let r = diff(
            "## T\n\n| a | b |\n|---|---|\n| one | 1 |\n| two | 2 |\n| three | 3 |\n",
            "## T\n\n| a | b |\n|---|---|\n| three | 3 |\n| one | 1 |\n| two | 2 |\n",
        );
        has(
            &r.html,
            "<td>3 <span class=\"moved\">(moved)</span></td></tr>",
        );
        assert!(!r.html.contains("</td> <span"), "{}", r.html);
        // A block whose element holds no text (a raw table) gets its note after it.
        let r = diff(
            "## A\n\n<table><tr><td>Kept data</td></tr></table>\n\n## B\n\nText.\n",
            "## A\n\n## B\n\nText.\n\n<table><tr><td>Kept data</td></tr></table>\n",
        );
        has(&r.html, "</table>\n<p class=\"moved\">(moved from “A”)</p>");
    }

    #[test]
    fn no_mark_where_html_allows_no_text() {
        // The author's raw HTML has text directly in a list (invalid on the
        // version page too); a mark there would add an error of its own.
        let old = "<ul>\n{% for person in people %}\n<li>Jason</li>\n</ul>\n";
        let new = "<ul>\n<li>Jason</li>\n<li>David</li>\n</ul>\n";
        let marks_in_lists = |html: &str| {
            let selector = scraper::Selector::parse("ul > del, ul > ins").unwrap();
            scraper::Html::parse_fragment(html)
                .select(&selector)
                .count()
        };
        let r = diff(old, new);
        assert_eq!(marks_in_lists(&r.html), 0, "{}", r.html);
        has(
            &r.html,
            "<ul class=\"removed\">\n{% for person in people %}",
        );
        has(&r.html, &format!("<li>{}</li>", ins("David")));
        // Changed words there: the block is shown whole, not word by word.
        let r = diff(
            "<ul>\nfor each person\n<li>Jason</li>\n</ul>\n",
            "<ul>\nfor every person\n<li>Jason</li>\n</ul>\n",
        );
        assert_eq!(marks_in_lists(&r.html), 0, "{}", r.html);
        has(&r.html, "<ul class=\"removed\">\nfor each person");
    }

    #[test]
    fn heading_levels_never_skip_when_versions_interleave() {
        assert_eq!(
            no_skipped_levels("<h2 id=\"a\">A</h2>\n<h4 class=\"removed\">B <span>x</span></h4>\n<h3>C</h3>\n<h2>D</h2>".to_string()),
            "<h2 id=\"a\">A</h2>\n<h3 class=\"removed\">B <span>x</span></h3>\n<h3>C</h3>\n<h2>D</h2>"
        );
        // The case the property test found: a section moved up a level.
        let r = diff(
            "# we\n\nwe\n\n## keep\n\nkeep\n\n### we\n",
            "we\n\n## keep\n\n# we\n\nkeep\n\n### we\n",
        );
        assert!(!r.html.contains("<h4"), "{}", r.html);
    }

    #[test]
    fn a_renumbered_footnote_is_no_change() {
        let old =
            "Logs are kept.[^b]\n\nData is kept.[^a]\n\n[^b]: For two years.\n\n[^a]: In the EU.\n";
        let new = "Data is kept.[^a]\n\n[^a]: In the EU.\n";
        let r = diff(old, new);
        assert_eq!((r.words_added, r.words_removed), (0, 6), "{}", r.html);
        // The kept note is shown as the new version numbers it, unmarked.
        has(
            &r.html,
            "<div class=\"footnote\" id=\"fn-a\"><span class=\"footnote-number\">1</span>",
        );
        // The deleted reference still leads to the deleted note.
        has(&r.html, "<a href=\"#fn-b\"");
        has(&r.html, "id=\"fn-b\"");
    }

    #[test]
    fn composed_and_decomposed_accents_are_the_same_text() {
        let composed = "## Données\n\nLe café est naïf.\n";
        let decomposed = "## Donne\u{301}es\n\nLe cafe\u{301} est nai\u{308}f.\n";
        let r = diff(composed, decomposed);
        assert!(!r.changed, "{}", r.html);
        assert_eq!((r.words_added, r.words_removed), (0, 0));
        assert_eq!(
            text(
                &blocks(composed, &OPTIONS),
                &blocks(decomposed, &OPTIONS),
                TextStyle::Plain
            )
            .0,
            ""
        );
        // Beside a real change, only the real change is marked, and the new
        // version's own characters are shown.
        let r = diff(composed, "## Donne\u{301}es\n\nLe cafe\u{301} est bon.\n");
        has(
            &r.html,
            &format!("<p>Le cafe\u{301} est {}{}.</p>", del("naïf"), ins("bon")),
        );
        assert_eq!((r.words_added, r.words_removed), (1, 1));
    }

    #[test]
    fn the_quick_letter_test_is_the_unicode_one() {
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
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
        has(
            &r.html,
            &format!("<li class=\"removed\">{}</li>", del("two")),
        );
        has(
            &r.html,
            &format!("<h2 id=\"new\">{}{}</h2>", number("1."), ins("New")),
        );
        has(&r.html, &format!("<p>{}</p>", ins("Fresh text.")));
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
                "<h2 id=\"retention\">{}{}{}</h2>\n<p>Text.</p>\n",
                number("1."),
                del("Data retention"),
                ins("Keeping data")
            )
        );
        let r = diff(
            "## A\n\nOne.\n\n## B\n\nTwo.\n",
            "## B\n\nTwo.\n\n## A\n\nOne.\n",
        );
        has(&r.html, "(moved)");
        assert_eq!((r.words_added, r.words_removed), (0, 0));
    }

    #[test]
    fn identical_versions_have_no_changes_and_fold() {
        let text = "## T\n\nOne.\n\nTwo.\n\nThree.\n";
        let r = diff(text, text);
        assert!(!r.changed);
        assert_eq!(
            r.html,
            "<h2 id=\"t\"><span class=\"clause-number\">1.</span> T</h2>\n<details class=\"unchanged\">\n<summary>3 unchanged passages</summary>\n<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>\n</details>\n"
        );
        assert_eq!(plain(text, text), "");
    }

    #[test]
    fn removed_blocks_keep_only_ids_the_new_version_does_not_use() {
        let r = diff(
            "## Gone\n\n**Bold** words.\n\nKeep.\n",
            "Keep.\n\nNew *em* text.\n",
        );
        // Nothing else has the id: links to the removed heading still land.
        assert_eq!(r.html.matches("id=\"gone\"").count(), 1, "{}", r.html);
        // The new version's heading has the id: the old one's goes.
        let r2 = diff(
            "## Old wording entirely {#x}\n\nA.\n",
            "## Something else now {#x}\n\nA.\n",
        );
        assert_eq!(r2.html.matches("id=\"x\"").count(), 1, "{}", r2.html);
        let opened = r.html.matches("<ins ").count() + r.html.matches("<del ").count();
        let closed = r.html.matches("</ins>").count() + r.html.matches("</del>").count();
        assert_eq!(opened, closed);
        has(
            &r.html,
            &format!(
                "<p>{} <em>{}</em> {}</p>",
                ins("New"),
                ins("em"),
                ins("text.")
            ),
        );
    }

    #[test]
    fn tags_end_at_their_own_close() {
        let texts =
            |t: &str| -> Vec<String> { tokenize(t).iter().map(|t| t.text().to_string()).collect() };
        assert_eq!(
            texts("<span title=\"a>b\">x</span><!-- a > b -->"),
            ["<span title=\"a>b\">", "x", "</span>", "<!-- a > b -->"]
        );
        // A `<` in HTML that starts no tag is text.
        assert_eq!(texts("a < b"), ["a", " ", "<", " ", "b"]);
    }

    #[test]
    fn a_change_of_markup_alone_is_shown() {
        // A link target, emphasis and raw HTML with the same words.
        for (old, new) in [
            (
                "See [the policy](https://a.example/).\n",
                "See [the policy](https://evil.example/).\n",
            ),
            ("We keep logs.\n", "We keep **logs**.\n"),
            (
                "<table><tr><td>Kept 30 days</td></tr></table>\n",
                "<table><tr><td>Kept 10 years</td></tr></table>\n",
            ),
        ] {
            let r = diff(old, new);
            assert!(r.changed, "{old}");
            has(&r.html, "<del class=\"change\">");
            has(&r.html, "<ins class=\"change\">");
        }
        let r = diff(
            "See [the policy](https://a.example/).\n",
            "See [the policy](https://evil.example/).\n",
        );
        has(&r.html, "<p class=\"removed\">");
        has(&r.html, "https://evil.example/");
        assert_eq!(
            plain("We keep logs.\n", "We keep **logs**.\n"),
            "[-We keep logs.-]\n{+We keep logs.+} (links, formatting or anchors changed)\n\n"
        );
        // Raw HTML words are compared as words.
        let r = diff(
            "<table><tr><td>Logs are kept for 30 days in Singapore</td></tr></table>\n",
            "<table><tr><td>Logs are kept for 10 days in Singapore</td></tr></table>\n",
        );
        assert_eq!((r.words_added, r.words_removed), (1, 1));
        has(&r.html, &del("30"));
    }

    #[test]
    fn an_inserted_section_does_not_take_the_place_of_a_renamed_one() {
        let old = "## Scope\n\nThis policy covers our services.\n\n## Retention\n\nWe keep logs for two years after you leave.\n\n## Contact\n\nWrite to us.\n";
        let new = "## Scope\n\nThis policy covers our services.\n\n## Children\n\nWe do not knowingly collect data from children under sixteen.\n\n## Keeping data\n\nWe keep logs for one year after you leave.\n\n## Contact\n\nWrite to us.\n";
        let r = plain(old, new);
        assert!(r.contains("## {+Children+}"), "{r}");
        assert!(
            r.contains("{+We do not knowingly collect data from children under sixteen.+}"),
            "{r}"
        );
        // The heading's id changes with its text, so the old heading (and
        // its id, which links may still use) is shown deleted, whole.
        assert!(r.contains("## [-Retention-]\n## {+Keeping data+}"), "{r}");
        assert!(
            r.contains("We keep logs for [-two years-]{+one year+} after you leave."),
            "{r}"
        );
        // Paragraphs alone: the inserted one is added, the edited one compared.
        let r = plain(
            "We keep your account data for two years after you close it.\n",
            "Cookies help us remember your settings between visits.\n\nWe keep your account data for one year after you close it.\n",
        );
        assert!(
            r.starts_with("{+Cookies help us remember your settings between visits.+}"),
            "{r}"
        );
        assert!(r.contains("for [-two years-]{+one year+} after"), "{r}");
    }

    #[test]
    fn deleted_cells_and_nested_items_keep_the_html_valid() {
        let r = diff(
            "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        // Every del sits inside a cell, never directly in a row.
        assert!(
            !r.html.contains("</th><del") && !r.html.contains("</td><del"),
            "{}",
            r.html
        );
        has(&r.html, "<tr class=\"removed\">");
        let r = diff("- a\n  - b\n  - c\n- d\n", "- a\n  - b\n- d\n");
        assert!(!r.html.contains("</li><del"), "{}", r.html);
        assert!(
            !r.html.contains("<ul><del") && !r.html.contains("<ul>\n<del"),
            "{}",
            r.html
        );
        has(&r.html, "<li class=\"removed\">");
    }

    #[test]
    fn the_authors_own_strikethrough_is_not_a_mark() {
        let r = diff(
            "The fee is ~~10 EUR~~ 15 EUR.\n",
            "The fee is ~~10 EUR~~ 15 EUR, or less.\n",
        );
        has(&r.html, "<del>10 EUR</del>");
        has(&r.html, &ins(", or less"));
    }

    #[test]
    fn a_deletion_alone_takes_its_space_along() {
        let r = diff("We sell your data never.\n", "We sell your data.\n");
        assert_eq!(
            r.html,
            format!("<p>We sell your data{}.</p>\n", del(" never"))
        );
        assert_eq!(
            plain("We sell your data never.\n", "We sell your data.\n"),
            "We sell your data[- never-].\n\n"
        );
    }

    #[test]
    fn a_literal_less_than_sign_is_compared_as_text() {
        let old = "Intro.\n\n< 18 year olds need consent from a parent first.\n\nOutro.\n";
        let new = "Intro.\n\n< 16 year olds need consent from a parent first.\n\nOutro.\n";
        let r = diff(old, new);
        assert_eq!((r.words_added, r.words_removed), (1, 1));
        assert_eq!(
            plain(old, new),
            "…\n\n< [-18-]{+16+} year olds need consent from a parent first.\n\n"
        );
    }

    #[test]
    fn a_class_joins_the_first_element_s_own() {
        assert_eq!(
            with_class("<p>x</p>", "removed"),
            "<p class=\"removed\">x</p>"
        );
        assert_eq!(
            with_class("<h2 class=\"note\" data-x=\"1\">x</h2>", "removed"),
            "<h2 class=\"removed note\" data-x=\"1\">x</h2>"
        );
        assert_eq!(with_class("<br/>", "removed"), "<br class=\"removed\"/>");
    }

    #[test]
    fn footnote_numbers_are_not_words_to_compare() {
        // A note's number changes when a note before it comes or goes; it is
        // the same note if its words are the same.
        let b = blocks("Text.[^a]\n\n[^a]: Kept (7) years.\n", &OPTIONS);
        let mut differ = Differ::default();
        let mut words = |i: usize| -> Vec<String> {
            let ids = differ.words(&b, i, Side::Old);
            ids.ids
                .iter()
                .map(|id| {
                    let (word, _) = differ.words.ids.iter().find(|(_, v)| *v == id).unwrap();
                    word.to_string()
                })
                .collect()
        };
        assert_eq!(words(0), ["Text"]);
        assert_eq!(words(1), ["Kept", "7", "years"]);
    }

    #[test]
    fn nested_list_words_are_apart() {
        let b = blocks("- a\n  - b\n", &OPTIONS);
        assert_eq!(b[0].text, "a b");
    }
}

/// Claims that hold for every pair of documents: generated ones with
/// headings, paragraphs, emphasis, links, lists, tables and CJK text,
/// edited block by block or rewritten.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    use scraper::{Html, Node};

    use super::tests::{LABELS, OPTIONS};
    use super::*;
    use crate::model::markdown::{blocks, render};

    const WORDS: &[&str] = &[
        "we",
        "keep",
        "the",
        "data",
        "logs",
        "for",
        "two",
        "years",
        "consent",
        "R&D",
        "< 18",
        "users'",
        "well-known",
        "30",
        "数据",
        "保留",
        "两年",
        "*important*",
        "**must**",
        "[terms](/terms/)",
        "`code`",
        "~~old~~",
        "(see",
        "below)",
        "données",
        "naïve",
        "line<br>break",
        "cell</br>break",
        "<b>bold</b>",
    ];

    fn words() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(WORDS), 1..12).prop_map(|w| w.join(" "))
    }

    /// One block of Markdown.
    fn block() -> impl Strategy<Value = String> {
        prop_oneof![
            1 => (1..4usize, words()).prop_map(|(level, w)| format!("{} {w}", "#".repeat(level))),
            4 => words(),
            1 => (words(), words()).prop_map(|(a, b)| format!("{a}\n{b}")),
            1 => prop::collection::vec(words(), 1..4)
                .prop_map(|items| items.iter().map(|i| format!("- {i}\n")).collect()),
            1 => (words(), words()).prop_map(|(a, b)| format!("1. {a}\n   - {b}\n2. {b}")),
            1 => prop::collection::vec((words(), words()), 1..4).prop_map(|rows| {
                let mut t = String::from("| a | b |\n|---|---|\n");
                for (x, y) in rows {
                    t.push_str(&format!("| {x} | {y} |\n"));
                }
                t
            }),
            1 => words().prop_map(|w| format!("> {w}")),
            1 => (words(), prop::sample::select(&["1", "2", "note"][..]))
                .prop_map(|(w, label)| format!("{w}[^{label}]\n\n[^{label}]: {w}")),
        ]
    }

    /// What happens to one block on its way to the new version.
    #[derive(Debug, Clone)]
    enum Edit {
        Keep,
        Delete,
        Replace(String),
        InsertAfter(String),
        /// Swap with the next block.
        Swap,
        /// Add a word at the end.
        Append(String),
        /// The same words, with the source's lines wrapped elsewhere.
        Rewrap,
        /// The same text with its accents as combining characters (NFD).
        Decompose,
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            6 => Just(Edit::Keep),
            1 => Just(Edit::Delete),
            1 => block().prop_map(Edit::Replace),
            1 => block().prop_map(Edit::InsertAfter),
            1 => Just(Edit::Swap),
            1 => prop::sample::select(WORDS).prop_map(|w| Edit::Append(w.to_string())),
            1 => Just(Edit::Rewrap),
            1 => Just(Edit::Decompose),
        ]
    }

    /// An old document and a new one, derived from it or written afresh.
    fn pair() -> impl Strategy<Value = (String, String)> {
        let edited = prop::collection::vec((block(), edit()), 0..10).prop_map(|blocks| {
            let old: Vec<String> = blocks.iter().map(|(b, _)| b.clone()).collect();
            let mut new: Vec<String> = Vec::new();
            let mut swap_pending: Option<String> = None;
            for (b, e) in blocks {
                match e {
                    Edit::Keep => new.push(b),
                    Edit::Delete => {}
                    Edit::Replace(other) => new.push(other),
                    Edit::InsertAfter(other) => {
                        new.push(b);
                        new.push(other);
                    }
                    Edit::Swap => {
                        if let Some(held) = swap_pending.replace(b) {
                            new.push(held);
                        }
                        continue;
                    }
                    Edit::Append(w) => new.push(format!("{b} {w}")),
                    // Only paragraphs: a line break ends a heading or a row.
                    Edit::Rewrap
                        if !b.starts_with(['#', '|', '-', '1', '>']) && !b.contains("[^") =>
                    {
                        new.push(b.replacen(' ', "\n", 2).replace("\n\n", "\n"))
                    }
                    Edit::Rewrap => new.push(b),
                    Edit::Decompose => new.push(b.nfd().collect()),
                }
                if let Some(held) = swap_pending.take() {
                    new.push(held);
                }
            }
            new.extend(swap_pending);
            (old.join("\n\n") + "\n", new.join("\n\n") + "\n")
        });
        let rewritten = (
            prop::collection::vec(block(), 0..8),
            prop::collection::vec(block(), 0..8),
        )
            .prop_map(|(a, b)| (a.join("\n\n") + "\n", b.join("\n\n") + "\n"));
        prop_oneof![3 => edited, 1 => rewritten]
    }

    /// Words, as the reference tokenizer splits them, that count.
    fn counted_words(text: &str) -> Vec<String> {
        reference_tokens(text)
            .into_iter()
            .filter(|(_, _, counts)| *counts)
            .map(|(_, w, _)| w.nfc().collect())
            .collect()
    }

    fn sorted(mut words: Vec<String>) -> Vec<String> {
        words.sort();
        words
    }

    /// The words inside the redline's `<ins>` and `<del>` marks, outside
    /// moved blocks (which are not counted as changes).
    fn marked_in_html(html: &str) -> (Vec<String>, Vec<String>) {
        struct Walk {
            ins: String,
            del: String,
        }
        /// `mark`: inside an `<ins>` (true) or `<del>` (false); `number`:
        /// inside a footnote's number or reference (its digits are no words).
        fn walk(
            node: ego_tree::NodeRef<'_, Node>,
            mark: Option<bool>,
            number: bool,
            out: &mut Walk,
        ) {
            match node.value() {
                Node::Text(text) => {
                    if number && text.trim().bytes().all(|b| b.is_ascii_digit()) {
                        return;
                    }
                    match mark {
                        Some(true) => out.ins.push_str(text),
                        Some(false) => out.del.push_str(text),
                        None => {}
                    }
                }
                Node::Element(element) => {
                    let has = |class: &str| element.classes().any(|c| c == class);
                    if has("visually-hidden") || has("moved") || is_moved_block(node) {
                        return;
                    }
                    let number = number || has("footnote-ref") || has("footnote-number");
                    let mark = match element.name() {
                        "ins" if has(MARK_CLASS) => Some(true),
                        "del" if has(MARK_CLASS) => Some(false),
                        _ => mark,
                    };
                    // Marks of different blocks are separate words.
                    out.ins.push(' ');
                    out.del.push(' ');
                    for child in node.children() {
                        walk(child, mark, number, out);
                    }
                    out.ins.push(' ');
                    out.del.push(' ');
                }
                _ => {
                    for child in node.children() {
                        walk(child, mark, number, out);
                    }
                }
            }
        }
        let mut out = Walk {
            ins: String::new(),
            del: String::new(),
        };
        walk(
            Html::parse_fragment(html).tree.root(),
            None,
            false,
            &mut out,
        );
        (
            sorted(counted_words(&out.ins)),
            sorted(counted_words(&out.del)),
        )
    }

    /// Whether an element is a block that moved.
    fn is_moved_block(node: ego_tree::NodeRef<'_, Node>) -> bool {
        node.value()
            .as_element()
            .is_some_and(|e| e.classes().any(|c| c == "moved-to" || c == "moved-from"))
    }

    /// The words inside `{+ +}` and `[- -]` of `clause diff`'s output,
    /// outside lines that say a block moved.
    fn marked_in_text(text: &str) -> (Vec<String>, Vec<String>) {
        let (mut ins, mut del) = (String::new(), String::new());
        for line in text.lines().filter(|l| !l.contains(" (moved")) {
            for (open, close, out) in [("{+", "+}", &mut ins), ("[-", "-]", &mut del)] {
                let mut rest = line;
                while let Some(start) = rest.find(open) {
                    let Some(len) = rest[start + 2..].find(close) else {
                        break;
                    };
                    out.push(' ');
                    out.push_str(&rest[start + 2..start + 2 + len]);
                    out.push(' ');
                    rest = &rest[start + 2 + len + 2..];
                }
            }
        }
        (sorted(counted_words(&ins)), sorted(counted_words(&del)))
    }

    /// The words a plain word diff (`similar`'s Myers) inserts and deletes
    /// between the text of the two rendered pages.
    fn independent_diff(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
        // The page's words, without footnote numbers (not the author's
        // words: they change when a note before them comes or goes).
        fn walk(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
            match node.value() {
                Node::Text(text) => {
                    out.push(' ');
                    out.push_str(text);
                }
                Node::Element(e)
                    if e.classes()
                        .any(|c| c == "footnote-ref" || c == "footnote-number") => {}
                _ => node.children().for_each(|c| walk(c, out)),
            }
        }
        let page_words = |markdown: &str| {
            let mut text = String::new();
            walk(
                Html::parse_fragment(&render(markdown, &OPTIONS).html)
                    .tree
                    .root(),
                &mut text,
            );
            counted_words(&text)
        };
        let (a, b) = (page_words(old), page_words(new));
        let (mut ins, mut del) = (Vec::new(), Vec::new());
        for op in similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b) {
            match op {
                DiffOp::Delete {
                    old_index, old_len, ..
                } => del.extend_from_slice(&a[old_index..old_index + old_len]),
                DiffOp::Insert {
                    new_index, new_len, ..
                } => ins.extend_from_slice(&b[new_index..new_index + new_len]),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    del.extend_from_slice(&a[old_index..old_index + old_len]);
                    ins.extend_from_slice(&b[new_index..new_index + new_len]);
                }
                DiffOp::Equal { .. } => {}
            }
        }
        (sorted(ins), sorted(del))
    }

    /// For each word, how many more times it is inserted than deleted.
    fn net(ins: &[String], del: &[String]) -> std::collections::BTreeMap<String, isize> {
        let mut net = std::collections::BTreeMap::new();
        for w in ins {
            *net.entry(w.clone()).or_default() += 1;
        }
        for w in del {
            *net.entry(w.clone()).or_default() -= 1;
        }
        net.retain(|_, n| *n != 0);
        net
    }

    /// Words in blocks that moved, twice (they are both somewhere a word
    /// diff deletes them and somewhere it inserts them).
    fn moved_words(html: &str) -> usize {
        let doc = Html::parse_fragment(html);
        let moved = scraper::Selector::parse(".moved-to, .moved-from").unwrap();
        doc.select(&moved)
            .map(|block| 2 * counted_words(&block.text().collect::<Vec<_>>().join(" ")).len())
            .sum()
    }

    /// Words in blocks shown deleted or inserted whole: a deleted block's
    /// twice (once deleted, once inserted in the block that replaces it),
    /// an inserted block's once. A word diff of the whole text may match
    /// their words with words elsewhere, which a redline of blocks does not.
    fn whole_words(html: &str) -> usize {
        let doc = Html::parse_fragment(html);
        let words = |e: scraper::ElementRef<'_>, selector: &str| -> usize {
            let hidden = scraper::Selector::parse(".visually-hidden").unwrap();
            let labels: usize = e
                .select(&hidden)
                .map(|h| counted_words(&h.text().collect::<String>()).len())
                .sum();
            let all = match selector {
                "" => counted_words(&e.text().collect::<Vec<_>>().join(" ")).len(),
                _ => {
                    let s = scraper::Selector::parse(selector).unwrap();
                    e.select(&s)
                        .map(|i| counted_words(&i.text().collect::<Vec<_>>().join(" ")).len())
                        .sum()
                }
            };
            all.saturating_sub(labels)
        };
        let removed = scraper::Selector::parse(".removed:not(.moved-from)").unwrap();
        let blocks =
            scraper::Selector::parse("p, li, tr, h2, h3, h4, h5, h6, blockquote, .footnote")
                .unwrap();
        let deleted: usize = doc.select(&removed).map(|b| 2 * words(b, "")).sum();
        let inserted: usize = doc
            .select(&blocks)
            .filter(|b| !b.value().classes().any(|c| c == "removed"))
            .map(|b| (words(b, ""), words(b, "ins.change")))
            .filter(|&(all, ins)| all > 0 && all == ins)
            .map(|(all, _)| all)
            .sum();
        deleted + inserted
    }

    /// Elements that separate words, as a reader sees them.
    const BLOCK_ELEMENTS: &[&str] = &[
        "p",
        "li",
        "ul",
        "ol",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "details",
        "div",
    ];

    /// The text a reader of the clean view sees: without deletions, removed
    /// blocks, the marks' hidden labels, move notes and fold summaries.
    fn clean_text(html: &str) -> String {
        fn walk(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
            match node.value() {
                Node::Text(text) => out.push_str(text),
                Node::Element(element) => {
                    let name = element.name();
                    let has = |class: &str| element.classes().any(|c| c == class);
                    let hidden = has(REMOVED_CLASS)
                        || (name == "del" && has(MARK_CLASS))
                        || (name == "span"
                            && (has("visually-hidden") || has("moved") || has("clause-number")))
                        || name == "summary";
                    if hidden {
                        return;
                    }
                    let block = BLOCK_ELEMENTS.contains(&name);
                    if block {
                        out.push(' ');
                    }
                    for child in node.children() {
                        walk(child, out);
                    }
                    if block {
                        out.push(' ');
                    }
                }
                _ => {
                    for child in node.children() {
                        walk(child, out);
                    }
                }
            }
        }
        let mut out = String::new();
        walk(Html::parse_fragment(html).tree.root(), &mut out);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Whether every element opened is closed, in order.
    fn balanced(html: &str) -> Result<(), String> {
        const VOID: &[&str] = &["br", "hr", "img", "input", "meta", "link", "wbr"];
        let mut open: Vec<String> = Vec::new();
        for (i, _) in html.match_indices('<') {
            let rest = &html[i + 1..];
            let closing = rest.starts_with('/');
            let name: String = rest
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if name.is_empty() || VOID.contains(&name.as_str()) {
                continue;
            }
            if closing {
                if open.pop().as_deref() != Some(name.as_str()) {
                    return Err(format!("`</{name}>` at {i} closes nothing open"));
                }
            } else if !rest[..rest.find('>').unwrap_or(rest.len())].ends_with('/') {
                open.push(name);
            }
        }
        match open.is_empty() {
            true => Ok(()),
            false => Err(format!("left open: {open:?}")),
        }
    }

    /// The tokenizer as first written (a char at a time), to check the
    /// faster one against.
    fn reference_tokens(text: &str) -> Vec<(u8, String, bool)> {
        let is_word = |c: char| {
            !is_cjk(c)
                && (c.is_alphanumeric() || matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x0DFF))
        };
        let mut tokens = Vec::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            let is_tag = c == '<'
                && rest[1..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'));
            let len = if is_tag {
                tag_len(rest)
            } else if c.is_whitespace() {
                rest.find(|c: char| !c.is_whitespace())
                    .unwrap_or(rest.len())
            } else if c == '&' {
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
                c.len_utf8()
            };
            let (token, after) = rest.split_at(len);
            let kind = if is_tag {
                0
            } else if c.is_whitespace() {
                1
            } else {
                2
            };
            let counts = if token.len() > 1 && token.starts_with('&') {
                entity_counts(token)
            } else {
                kind == 2 && token.chars().any(char::is_alphanumeric)
            };
            tokens.push((kind, token.to_string(), counts));
            rest = after;
        }
        tokens
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn all_composed_reads_bytes_as_the_characters_say(text in "\\PC{0,40}") {
            prop_assert_eq!(all_composed(&text), text.chars().all(always_composed));
        }

        #[test]
        fn tag_len_reads_bytes_as_the_characters_say(
            tail in "[a-z=\"' \t\u{b}\u{a0}\u{3000}é>]{0,30}"
        ) {
            let tag = format!("<{tail}");
            // The same rules, read a character at a time.
            let mut by_chars = tag.len();
            let (mut quote, mut after_equals) = (None, false);
            for (i, c) in tag.char_indices().skip(1) {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if after_equals && matches!(c, '"' | '\'') => quote = Some(c),
                    None if c == '>' => {
                        by_chars = i + 1;
                        break;
                    }
                    None => {}
                }
                if !c.is_whitespace() {
                    after_equals = c == '=';
                }
            }
            prop_assert_eq!(tag_len(&tag), by_chars);
        }

        #[test]
        fn the_tokenizer_splits_as_the_reference_does(
            text in "[a-zA-Z09 \t\n'’\\-.,;:&#<>/!?éü数据、。あアー「\u{3000}\u{3099}\u{a0}\u{301}\u{915}\u{93f}]{0,60}"
        ) {
            let ours: Vec<(u8, String, bool)> = tokenize(&text)
                .iter()
                .map(|t| {
                    let kind = match t {
                        Token::Tag(_) => 0,
                        Token::Space(_) => 1,
                        Token::Word(..) => 2,
                    };
                    (kind, t.text().to_string(), t.counts())
                })
                .collect();
            prop_assert_eq!(ours, reference_tokens(&text));
        }

        #[test]
        fn the_redline_the_diff_and_the_counts_agree_with_an_independent_diff((old, new) in pair()) {
            let (a, b) = (blocks(&old, &OPTIONS), blocks(&new, &OPTIONS));
            let redline = redline(&a, &b, &LABELS);
            let (plain, added, removed) = text(&a, &b, TextStyle::Plain);
            // The page and `clause diff` count alike, and mark the same words.
            prop_assert_eq!((redline.words_added, redline.words_removed), (added, removed));
            let (html_ins, html_del) = marked_in_html(&redline.html);
            let (text_ins, text_del) = marked_in_text(&plain);
            prop_assert_eq!(&html_ins, &text_ins, "{}\n{}", redline.html, plain);
            prop_assert_eq!(&html_del, &text_del, "{}\n{}", redline.html, plain);
            prop_assert_eq!(html_ins.len(), added);
            prop_assert_eq!(html_del.len(), removed);
            // Against a plain word diff of the two pages' text (`similar`'s
            // Myers, on words split by the reference tokenizer). Exactly: for
            // every word, inserted minus deleted is the same (both diffs
            // turn the old text into the new; a moved block is neither).
            // Within a stated tolerance, how many words are marked: where
            // two alignments are equally good the two may choose different
            // copies of a word, and a word diff of the whole text matches
            // words across block boundaries (a paragraph split or joined, a
            // block added beside a similar one), which a redline of blocks
            // does not. So the redline marks no more than that diff plus
            // the words of blocks it shows deleted or inserted whole, plus a
            // fifth (at least 2); and no fewer than that diff minus the words
            // of blocks that moved.
            let (ref_ins, ref_del) = independent_diff(&old, &new);
            prop_assert_eq!(net(&html_ins, &html_del), net(&ref_ins, &ref_del), "{}\n{}", redline.html, plain);
            let marked = html_ins.len() + html_del.len();
            let reference = ref_ins.len() + ref_del.len();
            let most = reference + whole_words(&redline.html) + (reference / 5).max(2);
            let least = reference.saturating_sub(moved_words(&redline.html));
            prop_assert!(
                (least..=most).contains(&marked),
                "{} words marked, {} by the word diff (between {} and {})\n{}\n{}",
                marked, reference, least, most, redline.html, plain
            );
        }

        #[test]
        fn the_new_text_is_the_redline_without_its_deletions((old, new) in pair()) {
            let redline = redline(&blocks(&old, &OPTIONS), &blocks(&new, &OPTIONS), &LABELS);
            prop_assert_eq!(clean_text(&redline.html), clean_text(&render(&new, &OPTIONS).html));
            if let Err(problem) = balanced(&redline.html) {
                prop_assert!(false, "{}\n{}", problem, redline.html);
            }
            // Changed when the pages differ other than in white space or
            // in composed and decomposed accents.
            let page = |markdown: &str| -> String {
                let html: String = render(markdown, &OPTIONS).html.nfc().collect();
                html.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            prop_assert_eq!(redline.changed, page(&old) != page(&new));
            // Ids are unique, and every same-page link lands on one (a
            // deleted footnote keeps the id its deleted reference uses).
            let ids: Vec<&str> = redline
                .html
                .match_indices(" id=\"")
                .filter_map(|(at, _)| redline.html[at + 5..].split('"').next())
                .collect();
            let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
            prop_assert_eq!(unique.len(), ids.len(), "repeated ids in {}", redline.html);
            // Heading levels never skip (the page's title is the h1).
            let mut level = 1;
            for (at, _) in redline.html.match_indices("<h") {
                let Some(this) = redline.html[at + 2..].chars().next().and_then(|c| c.to_digit(10)) else {
                    continue;
                };
                prop_assert!(this <= level + 1, "h{} then h{} in {}", level, this, redline.html);
                level = this;
            }
            for (at, _) in redline.html.match_indices("href=\"#") {
                let target = redline.html[at + 7..].split('"').next().unwrap_or_default();
                prop_assert!(unique.contains(target), "no id `{}` in {}", target, redline.html);
            }
        }
    }
}
