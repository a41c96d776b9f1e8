//! How the cost of one redline grows with the size of the documents.
//!
//! Generates pairs of documents of about 2,000, 20,000 and 200,000 words,
//! written as many paragraphs (with headings, lists and a table) or as one
//! single paragraph, where the newer version is a complete rewrite or has 5%
//! of its sentences rewritten, and times `clause::model::diff::redline` on their
//! blocks (the median of several runs). Prints one table.
//!
//! `cargo run --release --example redline_scaling` (add `--quick` for the
//! 2,000 and 20,000-word rows only).
//!
//! With `--corpus CONTENT_DIR [ROUNDS]`, times instead the redlines of a
//! site's documents as a build makes them (each language's versions in file
//! name order, each against the one before, through one `Comparer` per
//! document and language), without the rest of the build: what a profiler
//! should look at when the redlines of a real site are slow.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use clause::model::diff::{self, Comparer, Labels};
use clause::model::markdown::{self, RenderOptions};

// The allocator the binary uses, so the times are the build's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const OPTIONS: RenderOptions<'static> = RenderOptions {
    base_path: "/",
    anchor_label: "",
    id_prefix: "",
    reserved_ids: &[],
    sources: None,
    host_paths: &[],
    top_heading: 2,
};

const LABELS: Labels<'static> = Labels {
    was: "(was {number})",
    moved_from: "moved from “{place}”",
    moved_to: "moved to “{place}”",
    inserted: "inserted:",
    deleted: "deleted:",
    moved: "moved",
    unchanged: "{count} unchanged passages",
};

/// A small deterministic generator (a 64-bit LCG), so every run compares
/// the same texts.
struct Random(u64);

impl Random {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below
    }
}

/// Words of legal prose: a few very frequent ones and a long tail, drawn
/// with a Zipf-like skew, as in real text.
const COMMON: &[&str] = &[
    "the", "of", "and", "to", "in", "any", "or", "by", "for", "with", "we", "you", "that", "this",
    "may", "shall", "data", "personal", "such", "our", "your", "as", "be", "is", "not", "on",
];
const RARE: &[&str] = &[
    "processing",
    "controller",
    "processor",
    "consent",
    "retention",
    "transfer",
    "lawful",
    "purpose",
    "breach",
    "notify",
    "subprocessor",
    "agreement",
    "liability",
    "indemnify",
    "jurisdiction",
    "arbitration",
    "termination",
    "warranty",
    "confidential",
    "disclosure",
    "security",
    "safeguards",
    "anonymise",
    "aggregate",
    "cookies",
    "identifiers",
    "billing",
    "records",
    "support",
    "account",
    "credentials",
    "location",
    "metadata",
    "statistics",
    "correspondence",
    "payment",
    "logs",
    "authority",
    "request",
    "legitimate",
    "interest",
    "contract",
    "performance",
    "obligation",
    "compliance",
    "regulation",
    "directive",
    "member",
    "state",
    "supervisory",
    "complaint",
    "rectification",
    "erasure",
    "portability",
    "objection",
    "restriction",
    "automated",
    "decision",
    "profiling",
    "children",
    "guardian",
    "verification",
];

fn sentence(random: &mut Random, out: &mut String) {
    let length = 12 + random.next(14);
    for w in 0..length {
        let word = if random.next(3) == 0 {
            COMMON[random.next(COMMON.len())]
        } else {
            // A number now and then makes some words rare, as dates and sums are.
            if random.next(12) == 0 {
                out.push_str(&format!("{} ", 1 + random.next(9999)));
            }
            RARE[random.next(RARE.len())]
        };
        if w == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(word);
        }
    }
    out.push('.');
}

/// A document of about `words` words as its sentences, and how to join them.
fn sentences(words: usize, random: &mut Random) -> Vec<String> {
    let mut all = Vec::new();
    let mut count = 0;
    while count < words {
        let mut s = String::new();
        sentence(random, &mut s);
        count += s.split_whitespace().count();
        all.push(s);
    }
    all
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Paragraphs,
    OneParagraph,
}

/// Markdown from sentences: paragraphs of four sentences with a heading
/// before every eighth and a list and a table now and then; or all of them
/// in one paragraph.
fn markdown(sentences: &[String], shape: Shape) -> String {
    if shape == Shape::OneParagraph {
        return sentences.join(" ") + "\n";
    }
    let mut out = String::new();
    for (p, chunk) in sentences.chunks(4).enumerate() {
        if p % 8 == 0 {
            out.push_str(&format!("## Clause {}\n\n", p / 8 + 1));
        }
        match p % 16 {
            5 => {
                for s in chunk {
                    out.push_str(&format!("- {s}\n"));
                }
            }
            11 => {
                out.push_str("| Category | Purpose |\n|---|---|\n");
                for s in chunk {
                    let (a, b) = s.split_at(s.len() / 2);
                    let cut = a.rfind(' ').unwrap_or(0);
                    out.push_str(&format!("| {} | {}{b} |\n", &a[..cut], &a[cut..]));
                }
            }
            _ => out.push_str(&chunk.join(" ")),
        }
        out.push_str("\n\n");
    }
    out
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The redlines of every document and language under `content`, `rounds`
/// times: how many, how much HTML, how long.
fn corpus(content: &str, rounds: usize) {
    // (document, language) -> the bodies of its versions, by file name.
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut folders: Vec<_> = std::fs::read_dir(content)
        .expect("a readable content folder")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .expect("a readable document folder")
            .map(|e| e.expect("a folder entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        for file in files {
            let stem = file.file_stem().unwrap_or_default().to_string_lossy();
            let language = stem.rsplit('.').next().unwrap_or_default().to_string();
            let text = std::fs::read_to_string(&file).expect("a UTF-8 file");
            // The body: what follows the front matter's closing `---`.
            let body = text
                .splitn(3, "---\n")
                .nth(2)
                .unwrap_or_default()
                .to_string();
            let key = (folder.display().to_string(), language);
            groups.entry(key).or_default().push(body);
        }
    }
    let blocks: Vec<Vec<Vec<markdown::Block>>> = groups
        .values()
        .map(|bodies| {
            bodies
                .iter()
                .map(|b| markdown::blocks(b, &OPTIONS))
                .collect()
        })
        .collect();
    let start = Instant::now();
    let (mut redlines, mut bytes) = (0, 0);
    for _ in 0..rounds {
        for versions in &blocks {
            let mut comparer = Comparer::new(versions.iter().map(Vec::as_slice).collect());
            for new in 1..versions.len() {
                bytes += comparer.redline(new - 1, new, &LABELS).html.len();
                redlines += 1;
            }
        }
    }
    let took = start.elapsed().as_secs_f64();
    println!(
        "{redlines} redlines, {:.1} MB of HTML, {:.1} ms, {:.1} us each",
        bytes as f64 / 1e6,
        took * 1e3,
        took * 1e6 / redlines.max(1) as f64
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--corpus") {
        let content = args.get(at + 1).expect("--corpus CONTENT_DIR [ROUNDS]");
        let rounds = args
            .get(at + 2)
            .map_or(1, |r| r.parse().expect("a number of rounds"));
        return corpus(content, rounds);
    }
    let quick = args.iter().any(|a| a == "--quick");
    let sizes: &[usize] = if quick {
        &[2_000, 20_000]
    } else {
        &[2_000, 20_000, 200_000]
    };
    println!(
        "| words | shape | edit | blocks (old/new) | redline ms (median) | ns per word | words added/removed |"
    );
    println!("|---:|---|---|---:|---:|---:|---:|");
    for &shape in &[Shape::Paragraphs, Shape::OneParagraph] {
        for &(edit, rate) in &[("complete rewrite", 1.0), ("5% edit", 0.05)] {
            for &words in sizes {
                let mut random = Random(words as u64 * 31 + 7);
                let old = sentences(words, &mut random);
                let new: Vec<String> = if rate >= 1.0 {
                    sentences(words, &mut random)
                } else {
                    old.iter()
                        .map(|s| {
                            if random.next(100) < (rate * 100.0) as usize {
                                let mut fresh = String::new();
                                sentence(&mut random, &mut fresh);
                                fresh
                            } else {
                                s.clone()
                            }
                        })
                        .collect()
                };
                let old_blocks = markdown::blocks(&markdown(&old, shape), &OPTIONS);
                let new_blocks = markdown::blocks(&markdown(&new, shape), &OPTIONS);
                let runs = if words >= 200_000 { 3 } else { 7 };
                let mut times = Vec::new();
                let mut result = None;
                for _ in 0..runs {
                    let start = Instant::now();
                    let redline = diff::redline(&old_blocks, &new_blocks, &LABELS);
                    times.push(start.elapsed());
                    result = Some(redline);
                }
                let time = median(times);
                let redline = result.expect("at least one run");
                println!(
                    "| {words} | {} | {edit} | {}/{} | {:.2} | {:.0} | {}/{} |",
                    match shape {
                        Shape::Paragraphs => "paragraphs",
                        Shape::OneParagraph => "one paragraph",
                    },
                    old_blocks.len(),
                    new_blocks.len(),
                    time.as_secs_f64() * 1000.0,
                    time.as_nanos() as f64 / words as f64,
                    redline.words_added,
                    redline.words_removed,
                );
            }
        }
    }
}
