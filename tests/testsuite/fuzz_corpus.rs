//! The fuzzing corpus (`fuzz/corpus/<target>/`, kept by `cargo fuzz`) replayed
//! on stable Rust: every saved input goes through the same checks the fuzz
//! targets run (`clause::build::fuzz`), so a finding fixed once stays fixed.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 20,
        "{}: only {} inputs",
        dir.display(),
        inputs.len()
    );
    for input in inputs {
        let data = std::fs::read(&input).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{} fails", input.display());
    }
}

#[test]
fn front_matter_corpus() {
    replay("front_matter", clause::build::fuzz::front_matter);
}

#[test]
fn markdown_corpus() {
    replay("markdown", clause::build::fuzz::markdown);
}

#[test]
fn redline_corpus() {
    replay("redline", clause::build::fuzz::redline);
}
