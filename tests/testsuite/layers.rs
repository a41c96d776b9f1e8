//! The shape of `src/`: folders are the stages of a build, and a module
//! imports only from its own folder or from the folders below it, never in a
//! circle. This reads every `crate::` path in the library's sources (the
//! compiler resolves the same paths), so a new import that goes up a stage,
//! or closes a circle between two modules, fails here with the line that
//! does it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The folders from the bottom up: each may import only from those before it.
const STAGES: &[&str] = &[
    "base", "i18n", "load", "model", "render", "output", "build", "deploy", "dev",
];

/// One module of the library: `model::urls` for `src/model/urls.rs`,
/// `model` for `src/model/mod.rs`.
type Module = Vec<String>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every module of the library with its file.
fn modules() -> BTreeMap<Module, PathBuf> {
    let mut found = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src()).sort_by_file_name() {
        let entry = entry.expect("src/ is readable");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(src()).expect("under src/");
        let mut module: Module = relative
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if module.last().is_some_and(|last| last == "mod") {
            module.pop();
        }
        // The binary and its commands are not part of the library.
        if module == ["main"] || module.first().is_some_and(|m| m == "cli") || module == ["lib"] {
            continue;
        }
        found.insert(module, path.to_path_buf());
    }
    found
}

/// The module a path names: the longest prefix of its segments that is a
/// module (`crate::model::urls::ContentIndex` -> `model::urls`).
fn module_of(segments: &[&str], modules: &BTreeMap<Module, PathBuf>) -> Option<Module> {
    (1..=segments.len()).rev().find_map(|n| {
        let candidate: Module = segments[..n].iter().map(|s| s.to_string()).collect();
        modules.contains_key(&candidate).then_some(candidate)
    })
}

/// Each `crate::a::b` path in a file's code (comments and strings skipped
/// roughly: a `crate::` inside a `//` comment is ignored), with its line.
fn crate_paths(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut paths = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        assert!(
            !code.contains("crate::{"),
            "line {}: write one `use crate::stage::...` per path, so this test can read it: {line}",
            number + 1
        );
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let path: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segments = path
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            paths.push((number + 1, segments));
            rest = &after[path.len()..];
        }
    }
    paths
}

/// Imports between modules, with where each first appears.
fn imports() -> BTreeMap<(Module, Module), String> {
    let modules = modules();
    let mut edges = BTreeMap::new();
    for (module, path) in &modules {
        let text = std::fs::read_to_string(path).expect("a source file is readable");
        let is_folder_root = path.ends_with("mod.rs");
        let mut found: Vec<(usize, Vec<String>)> = crate_paths(&text);
        // `self::x` in a folder's mod.rs and `super::x` in a child name
        // modules of the same folder.
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for (prefix, base) in [
                ("self::", module.clone()),
                ("super::", module[..module.len().saturating_sub(1)].to_vec()),
            ] {
                if prefix == "self::" && !is_folder_root {
                    continue;
                }
                let mut rest = code;
                while let Some(at) = rest.find(prefix) {
                    // `use super::*` in a test module names its own file.
                    let before = &rest[..at];
                    let after = &rest[at + prefix.len()..];
                    let segment: String = after
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !before.ends_with(':') && !segment.is_empty() {
                        let mut full = base.clone();
                        full.push(segment.clone());
                        found.push((number + 1, full));
                    }
                    rest = &after[segment.len()..];
                }
            }
        }
        for (line, segments) in found {
            let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
            let Some(target) = module_of(&segments, &modules) else {
                continue;
            };
            if &target == module {
                continue;
            }
            let place = format!("src/{}:{line}", path.strip_prefix(src()).unwrap().display());
            edges.entry((module.clone(), target)).or_insert(place);
        }
    }
    edges
}

fn stage(module: &Module) -> usize {
    STAGES
        .iter()
        .position(|s| *s == module[0])
        .unwrap_or_else(|| panic!("src/{} is in no stage: add its folder to STAGES", module[0]))
}

#[test]
fn every_folder_is_a_stage_with_a_module_doc_that_says_what_it_may_import() {
    let folders: BTreeSet<String> = std::fs::read_dir(src())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "cli")
        .collect();
    let stages: BTreeSet<String> = STAGES.iter().map(|s| s.to_string()).collect();
    assert_eq!(folders, stages, "src/'s folders and the stages differ");
    for stage in STAGES {
        let doc = std::fs::read_to_string(src().join(stage).join("mod.rs")).unwrap();
        let doc: String = doc
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            doc.to_lowercase().contains("import"),
            "src/{stage}/mod.rs's module doc must say what the folder may import:\n{doc}"
        );
    }
}

#[test]
fn imports_only_go_down_the_stages() {
    let mut wrong = Vec::new();
    for ((from, to), place) in imports() {
        if stage(&to) > stage(&from) {
            wrong.push(format!(
                "{place}: {} imports {}, a later stage",
                from.join("::"),
                to.join("::")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that go up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_modules_import_each_other_even_through_others() {
    let edges = imports();
    let mut graph: BTreeMap<&Module, BTreeSet<&Module>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        graph.entry(from).or_default().insert(to);
        graph.entry(to).or_default();
    }
    let reachable = |start: &Module| {
        let mut seen: BTreeSet<&Module> = BTreeSet::new();
        let mut todo: Vec<&Module> = graph[start].iter().copied().collect();
        while let Some(next) = todo.pop() {
            if seen.insert(next) {
                todo.extend(graph[next].iter().copied());
            }
        }
        seen
    };
    let reach: BTreeMap<&Module, BTreeSet<&Module>> =
        graph.keys().map(|m| (*m, reachable(m))).collect();
    // Every import inside a circle: from a module to one that leads back to it.
    let circles: Vec<String> = edges
        .iter()
        .filter(|((from, to), _)| reach[to].contains(from))
        .map(|((from, to), place)| format!("{place}: {} -> {}", from.join("::"), to.join("::")))
        .collect();
    assert!(
        circles.is_empty(),
        "imports in a circle (each leads back to where it starts):\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_reader_finds_imports_it_must_judge() {
    // The checks above are only as good as this reading of the sources.
    let found = crate_paths(
        "use crate::model::urls::{self, X};\nlet a = crate::load::config::CONFIG_FILE; // crate::dev\n",
    );
    assert_eq!(
        found,
        vec![
            (1, vec!["model".into(), "urls".into()]),
            (
                2,
                vec!["load".into(), "config".into(), "CONFIG_FILE".into()]
            ),
        ]
    );
    let modules = modules();
    assert_eq!(
        module_of(&["model", "urls", "X"], &modules),
        Some(vec!["model".to_string(), "urls".to_string()])
    );
    assert!(imports().len() > 20, "the library's imports were not read");
}
