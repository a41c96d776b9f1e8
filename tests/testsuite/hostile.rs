//! Input written to do harm: links that would publish the machine's files,
//! names that break other systems or collide, values that would take over
//! the terminal. `check` must refuse what `build` refuses, with a location,
//! and a refused build must leave the output as it was.

use crate::harness::TestSite;

const HEADER: &str =
    "---\ntitle: T\neffective_date: 2025-01-01\nversion: \"1\"\nlanguage: en\n---\n\nText.\n";

/// `check` and `build` both fail with exactly `wanted` among their error
/// lines, and the build leaves the output folder as it was.
#[track_caller]
fn refused_by_check_and_build(site: &TestSite, wanted: &[&str]) {
    let before = site.tree("dist");
    for command in ["check", "build"] {
        let run = site.run(&[command, "--as-of", "2026-01-01"]);
        run.assert_code(1);
        for line in wanted {
            assert!(
                run.error_lines().iter().any(|l| l.starts_with(line)),
                "`{command}` did not report `{line}`:\n{}",
                run.stderr
            );
        }
    }
    assert_eq!(site.tree("dist"), before, "the output changed");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_never_published() {
    use std::os::unix::fs::symlink;
    let site = TestSite::fixture("minimal");
    site.build("2026-01-01").assert_success();
    let outside = site.root.parent().unwrap().join("runner-secrets");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("token"), "AKIA-SECRET").unwrap();
    std::fs::create_dir_all(site.path("static")).unwrap();
    symlink(outside.join("token"), site.path("static/passwd.txt")).unwrap();
    std::fs::create_dir_all(site.path("themes/default/static")).unwrap();
    symlink(&outside, site.path("themes/default/static/keys")).unwrap();
    symlink(outside.join("token"), site.path("content/terms/token.txt")).unwrap();
    refused_by_check_and_build(
        &site,
        &[
            "static/passwd.txt:1:1: error: this is a symbolic link to `",
            "themes/default/static/keys:1:1: error: this is a symbolic link to `",
            "content/terms/token.txt:1:1: error: this is a symbolic link to `",
        ],
    );
    let run = site.run(&["check"]);
    assert!(
        run.stderr
            .contains("runner-secrets/token`, outside the site"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("allow_symlinks_to"), "{}", run.stderr);

    // Allowed in config.toml, the folder's files are published.
    let config = site.read("config.toml");
    let allowed = format!("allow_symlinks_to = [{:?}]\n", outside.to_str().unwrap());
    site.write("config.toml", &format!("{allowed}{config}"));
    site.build("2026-01-01").assert_success();
    assert_eq!(site.read("dist/static/passwd.txt"), "AKIA-SECRET");
    assert_eq!(site.read("dist/terms/token.txt"), "AKIA-SECRET");
    // A folder listed that is not there allows nothing, and says so.
    site.write(
        "config.toml",
        &format!("allow_symlinks_to = [\"../no-such-folder\"]\n{config}"),
    );
    std::fs::remove_file(site.path("static/passwd.txt")).unwrap();
    std::fs::remove_file(site.path("content/terms/token.txt")).unwrap();
    std::fs::remove_file(site.path("themes/default/static/keys")).unwrap();
    let run = site.run(&["check", "--as-of", "2026-01-01"]);
    run.assert_success();
    assert!(
        run.stderr.contains(
            "config.toml:1:1: warning: `allow_symlinks_to` lists `../no-such-folder`, which is not a folder here, so it allows nothing"
        ),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn names_that_break_other_systems_or_collide_are_errors_naming_the_files() {
    use std::os::unix::ffi::OsStrExt;
    let site = TestSite::fixture("minimal");
    site.build("2026-01-01").assert_success();
    std::fs::create_dir_all(site.path("static")).unwrap();
    for name in [&b"bad\xff.txt"[..], b"bad\xfe.txt", b"x\\y"] {
        let name = std::ffi::OsStr::from_bytes(name);
        std::fs::write(site.path("static").join(name), "x").unwrap();
    }
    site.write("content/CON/1.en.md", HEADER);
    site.write("content/terms/Notice.pdf", "a");
    site.write("content/terms/notice.pdf", "b");
    site.write(
        "content/aux-doc/1.en.md",
        &HEADER.replace("version: \"1\"", "version: \"aux\""),
    );
    refused_by_check_and_build(
        &site,
        &[
            "static/bad\u{fffd}.txt:1:1: error: this name is not UTF-8 text (`bad\\xfe.txt`)",
            "static/bad\u{fffd}.txt:1:1: error: this name is not UTF-8 text (`bad\\xff.txt`)",
            "static/x\\y:1:1: error: this name holds `\\`, which Windows does not allow in names",
            "content/CON:1:1: error: this name is reserved for a device on Windows",
            "content/terms/notice.pdf:1:1: error: `Notice.pdf` and `notice.pdf` differ only in case",
            "content/aux-doc/1.en.md:4:1: error: version `aux` cannot be used in a URL",
        ],
    );
}

#[test]
fn control_characters_never_reach_the_terminal_or_the_page() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/terms/1.en.md",
        "---\ntitle: \"Terms\\0\\e[2J\"\neffective_date: 2025-01-01\nversion: \"1\"\nlanguage: en\ndraft: \"\\e]0;PWNED\\a\\e[2J\"\nsummary: !!binary aGVsbG8=\n---\n\nText.\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert!(
        !run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'),
        "{:?}",
        run.stderr
    );
    assert_eq!(
        run.error_lines(),
        [
            "content/terms/1.en.md:2:1: error: `title` holds the control character \\u{0}, which a page cannot show (help: remove it: only tabs and line breaks may be in the text)",
            "content/terms/1.en.md:6:1: error: `draft` holds the control character \\u{1b}, which a page cannot show (help: remove it: only tabs and line breaks may be in the text)",
            "content/terms/1.en.md:7:1: error: `summary` has a YAML tag (`!...`), which front matter does not use (help: remove the tag and write the value plainly)",
        ]
    );

    // In the body too: `clause diff` would write it to the terminal.
    site.write(
        "content/terms/1.en.md",
        &HEADER.replace("Text.", "Text \u{1b}]0;PWNED\u{7} here."),
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert_eq!(
        run.error_lines(),
        [
            "content/terms/1.en.md:8:6: error: the text holds the control character \\u{1b}, which a page cannot show (and a terminal would obey) (help: remove it: it is invisible in most editors; search for it by its code)"
        ]
    );

    // A damaged lock file with a huge field is quoted, not dumped.
    site.write("content/terms/1.en.md", HEADER);
    let huge = "f".repeat(1_000_000);
    site.write(
        "clause.lock",
        &format!("terms\ten\t1\t2025-01-01\t{huge}\t0\n"),
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    let line = run.error_lines()[0];
    assert!(line.starts_with("clause.lock:1:1: error: `ffff"), "{line}");
    assert!(line.len() < 1_000, "{} bytes", line.len());
    assert!(line.contains("…` is not a SHA-256"), "{line}");
}

/// Shapes that were quadratic (issue 17), at sizes that build in well under
/// a second each when the cost is linear and take minutes when it is not:
/// a 100,000-word paragraph rewritten (the redline), 16,000 broken links on
/// one line (each reported at its column), 10,000 footnotes.
#[test]
fn pathological_shapes_build_in_linear_time() {
    let site = TestSite::fixture("minimal");
    let words = |seed: usize| -> String {
        let vocab = [
            "data", "we", "you", "the", "service", "may", "process", "retain",
        ];
        (0..100_000)
            .map(|i| vocab[(i * 7 + seed * 13 + i / 5) % vocab.len()])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let broken: String = (0..16_000)
        .map(|i| format!("[x](/nowhere-{i}/) "))
        .collect();
    let refs: String = (0..10_000).map(|i| format!("t[^{i}] ")).collect();
    let notes: String = (0..10_000).map(|i| format!("[^{i}]: n\n")).collect();
    site.write(
        "content/terms/1.en.md",
        &format!(
            "{}{}\n\n{refs}\n\n{notes}",
            HEADER.replace("Text.\n", ""),
            words(1)
        ),
    );
    site.write(
        "content/terms/2.en.md",
        &format!(
            "{}{}\n\n{broken}\n\n{refs}\n\n{notes}",
            HEADER
                .replace("Text.\n", "")
                .replace("\"1\"", "\"2\"")
                .replace("2025-01-01", "2025-06-01"),
            words(2)
        ),
    );
    let run = site.build("2026-01-01");
    run.assert_code(1);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 16_000);
    let last = format!(
        "content/terms/2.en.md:10:{}: error: broken link `/nowhere-15999/`",
        broken.len() - "[x](/nowhere-15999/) ".len() + 1
    );
    assert!(
        errors.iter().any(|l| l.starts_with(&last)),
        "{last}\n{}",
        errors[15_999]
    );
    // Without the broken links the redline is made.
    site.write(
        "content/terms/2.en.md",
        &site.read("content/terms/2.en.md").replace(&broken, ""),
    );
    site.build("2026-01-01").assert_success();
    assert!(site.exists("dist/terms/versions/2/changes/index.html"));
}
