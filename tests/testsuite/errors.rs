//! Bad input: every problem reported at once as `path:line:column: error:`,
//! exit code 1, and the output folder left exactly as it was.

use crate::harness::TestSite;

const HEADER: &str =
    "---\ntitle: T\neffective_date: 2025-01-01\nversion: \"1\"\nlanguage: en\n---\n";

#[test]
fn check_reports_every_problem_with_file_and_line() {
    let site = TestSite::fixture("broken");
    let run = site.run(&["check", "--as-of", "2026-01-01"]);
    run.assert_code(1);
    assert!(!run.stderr.contains("panicked"));
    // One line per problem, each `path:line:column: error: ...`.
    let errors = run.error_lines();
    assert_eq!(errors.len(), 14, "{}", run.stderr);
    for line in &errors {
        let mut parts = line.splitn(4, ':');
        let path = parts.next().unwrap();
        assert!(
            path.starts_with("content/") && path.ends_with(".md"),
            "{line}"
        );
        let line_no: usize = parts.next().unwrap().parse().unwrap();
        let col: usize = parts.next().unwrap().parse().unwrap();
        assert!(line_no >= 1 && col >= 1, "{line}");
    }
    assert!(
        run.stderr
            .ends_with("clause: 14 errors; the site has problems\n"),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn build_reports_the_same_and_leaves_dist_untouched() {
    let site = TestSite::fixture("broken");
    site.write("dist/.clause-output", "");
    site.write("dist/index.html", "previous build");
    site.write("dist/old/page/index.html", "kept");
    let before = site.tree("dist");
    let check = site.run(&["check", "--as-of", "2026-01-01"]);
    let run = site.build("2026-01-01");
    run.assert_code(1);
    assert_eq!(run.error_lines(), check.error_lines());
    assert!(
        run.stderr
            .ends_with("clause: 14 errors; nothing was written\n"),
        "{}",
        run.stderr
    );
    assert_eq!(site.tree("dist"), before);
}

#[test]
fn a_broken_edit_to_a_good_site_keeps_the_last_good_output() {
    let site = TestSite::fixture("basic");
    site.build("2026-06-01").assert_success();
    let before = site.tree("dist");
    site.write(
        "content/privacy/2.en.md",
        "---\ntitle: Privacy Policy\neffective_date: 2026-05-12\nversion: \"2\"\nlanguage: en\nsumary: typo\n---\nNew text.\n",
    );
    let run = site.build("2026-06-01");
    run.assert_code(1);
    assert_eq!(
        run.error_lines(),
        [
            "content/privacy/2.en.md:6:1: error: unknown front matter key `sumary` (help: did you mean `summary`?)"
        ]
    );
    assert_eq!(site.tree("dist"), before);
}

#[test]
fn config_errors_name_the_key_and_suggest_the_right_one() {
    let site = TestSite::fixture("minimal");
    site.write(
        "config.toml",
        "base_url = \"example.com\"\ndefault_langauge = \"en\"\ngoverning_language = \"fr\"\ntheme = \"../up\"\n\n[languages.en]\nname = \"English\"\nlocal = \"en-GB\"\n\n[languages.EN_gb]\nname = \"British\"\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn config_syntax_error_has_a_line() {
    let site = TestSite::fixture("minimal");
    site.write(
        "config.toml",
        "base_url = \"https://x.example/\"\ndefault_language = en\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert!(
        run.error_lines()[0].starts_with("config.toml:2:20: error: invalid TOML"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_config_is_an_error_not_a_panic() {
    let site = TestSite::empty();
    let run = site.run(&["build"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .starts_with("config.toml:1:1: error: cannot read"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--root"));
}

#[test]
fn unsafe_and_reserved_folder_names_are_refused() {
    let site = TestSite::fixture("minimal");
    site.write("config.toml", "base_url = \"https://x.example/\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.zh-Hant]\nname = \"繁體中文\"\n");
    for folder in [
        "bad name",
        "-dash",
        "dots.in.name",
        "static",
        "versions",
        "legal/versions",
        "ZH-HANT",
        "legal/en",
        "中文",
    ] {
        site.write(&format!("content/{folder}/1.en.md"), HEADER);
    }
    let run = site.run(&["check"]);
    run.assert_code(1);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 9, "{}", run.stderr);
    for folder in ["bad name", "-dash", "dots.in.name", "中文"] {
        assert!(
            run.stderr
                .contains(&format!("folder name `{folder}` cannot be used in a URL")),
            "{folder}: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("content/static/1.en.md:1:1: error: folder name `static` is reserved")
    );
    assert!(
        run.stderr.contains(
            "content/legal/versions/1.en.md:1:1: error: folder name `versions` is reserved"
        )
    );
    assert!(
        run.stderr.contains(
            "content/ZH-HANT/1.en.md:1:1: error: folder name `ZH-HANT` is a language code"
        )
    );
    assert!(
        run.stderr
            .contains("content/legal/en/1.en.md:1:1: error: folder name `en` is a language code")
    );
}

#[test]
fn unsafe_versions_are_refused() {
    let site = TestSite::fixture("minimal");
    let bad = [
        "..",
        ".",
        "../../etc",
        "a/b",
        "a\\\\b",
        "-x",
        ".hidden",
        "with space",
        "ü",
    ];
    for (i, version) in bad.iter().enumerate() {
        site.write(
            &format!("content/doc/{i}.en.md"),
            &format!("---\ntitle: T\neffective_date: 2025-01-{:02}\nversion: \"{version}\"\nlanguage: en\n---\n", i + 1),
        );
    }
    let run = site.run(&["build"]);
    run.assert_code(1);
    let errors = run.error_lines();
    assert_eq!(errors.len(), bad.len(), "{}", run.stderr);
    assert!(
        errors
            .iter()
            .all(|e| e.contains(":4:1: error: version `") && e.contains("cannot be used in a URL")),
        "{}",
        run.stderr
    );
    assert!(!site.exists("dist"));
    assert!(!site.root.parent().unwrap().join("etc").exists());
}

#[test]
fn folders_that_differ_only_in_case_are_refused() {
    let site = TestSite::fixture("minimal");
    site.write("content/Terms/1.en.md", HEADER);
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(run.error_lines().len(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/terms:1:1: error: `Terms` and `terms` differ only in case or accents' encoding: on macOS and Windows they are one file"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_directly_in_content_needs_a_folder() {
    let site = TestSite::fixture("minimal");
    site.write("content/privacy.md", HEADER);
    let run = site.run(&["check"]);
    assert_eq!(
        run.error_lines(),
        [
            "content/privacy.md:1:1: error: a document file must be inside a folder named for the document (help: move it to content/<document>/privacy.md, for example content/privacy/privacy.md)"
        ]
    );
}

#[test]
fn duplicate_versions_and_dates_name_both_files() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/terms/2.en.md",
        "---\ntitle: T\neffective_date: 2025-02-01\nversion: \"1\"\nlanguage: en\n---\n",
    );
    site.write(
        "content/terms/3.en.md",
        "---\ntitle: T\neffective_date: 2025-01-01\nversion: \"3\"\nlanguage: en\n---\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.error_lines(),
        [
            "content/terms/2.en.md:4:1: error: version `1` of `terms` in `en` is also in content/terms/1.en.md (help: give each version its own `version` (versions that differ only in case count as the same))",
            "content/terms/3.en.md:3:1: error: effective date 2025-01-01 of `terms` in `en` is also the effective date of content/terms/1.en.md (help: two versions cannot take effect on the same day: change one date, or mark one `draft: true`)",
        ]
    );
}

#[test]
fn front_matter_problems() {
    let site = TestSite::fixture("minimal");
    site.write("content/a/1.en.md", "no front matter\n");
    site.write("content/b/1.en.md", "---\ntitle: T\n");
    site.write("content/c/1.en.md", "---\ntitle: 5\neffective_date: 12/05/2026\nversion: 1.10\nlanguage: en\ndraft: yes please\nextra: [1]\n---\n");
    site.write("content/d/1.en.md", "---\n---\nEmpty header.\n");
    let run = site.run(&["check"]);
    run.assert_code(1);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn a_language_written_by_its_name_gets_its_code() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/links/1.en.md",
        "---\ntitle: Names\neffective_date: 2025-01-01\nversion: \"1\"\nlanguage: Chinese\n---\nText.\n",
    );
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    assert_eq!(run.error_lines().len(), 1, "{}", run.stderr);
    assert!(
        run.error_lines()[0]
            .ends_with("(help: `Chinese` is the language declared as `zh`: write `language: zh`)"),
        "{}",
        run.stderr
    );
}

/// The cause is reported, not its symptoms: a language taken out of
/// config.toml makes its files fail to load, and their locked versions are
/// not also reported as missing (with a hint to drop them from the lock).
#[test]
fn an_undeclared_language_is_the_problem_not_its_locked_versions() {
    let site = TestSite::fixture("basic");
    site.run(&["lock"]).assert_success();
    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &config
            .replace("governing_language = \"en\"\n", "")
            .replace("[languages.zh]\nname = \"中文\"\n", ""),
    );
    let run = site.run(&["check", "--as-of", "2026-06-01", "--locked"]);
    run.assert_code(1);
    let errors = run.error_lines();
    assert!(
        errors
            .iter()
            .all(|l| l.contains("language `zh` is not declared")),
        "{}",
        run.stderr
    );
    assert_eq!(errors.len(), 3, "{}", run.stderr);
    assert!(!run.stderr.contains("lock --force"), "{}", run.stderr);
    // A locked file really gone is still reported.
    site.write("config.toml", &config);
    site.remove("content/privacy/1.zh.md");
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("version `1` of `privacy` in `zh` is locked but is not in content/"),
        "{}",
        run.stderr
    );
}

/// Every diagnostic of these broken sites as JSON Lines (`--format json`)
/// and as GitHub workflow commands (`--format github`): one per problem,
/// each with a documented code, the same problems as the text.
#[test]
fn diagnostics_for_machines_carry_documented_codes() {
    let known: Vec<&str> = clause::base::codes::ALL.iter().map(|(c, _)| *c).collect();
    let config_broken = TestSite::fixture("minimal");
    config_broken.write(
        "config.toml",
        "base_url = \"https://example.com\"\ndefault_language = \"en\"\ntitel = \"x\"\n[languages.en]\nname = \"English\"\n",
    );
    let lock_changed = TestSite::fixture("minimal");
    lock_changed.run(&["lock"]).assert_success();
    lock_changed.write(
        "content/terms/1.en.md",
        &lock_changed
            .read("content/terms/1.en.md")
            .replace("\n\n", "\n\nEdited. "),
    );
    let mut seen = std::collections::BTreeSet::new();
    for site in [
        TestSite::fixture("broken"),
        TestSite::fixture("template-error"),
        config_broken,
        lock_changed,
    ] {
        let text = site.run(&["check", "--as-of", "2026-06-01"]);
        let json = site.run(&["check", "--format", "json", "--as-of", "2026-06-01"]);
        let github = site.run(&["check", "--format", "github", "--as-of", "2026-06-01"]);
        json.assert_code(1);
        github.assert_code(1);
        let problems: Vec<&str> = text
            .stderr
            .lines()
            .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
            .collect();
        let lines: Vec<serde_json::Value> = json
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), problems.len(), "{}", json.stdout);
        assert!(!lines.is_empty());
        for (object, text_line) in lines.iter().zip(&problems) {
            let code = object["code"].as_str().unwrap();
            assert!(
                known.contains(&code),
                "`{code}` is not documented: {object}"
            );
            seen.insert(code.to_string());
            let shown = format!(
                "{}:{}:{}: {}: {}",
                object["file"].as_str().unwrap(),
                object["line"],
                object["column"],
                object["severity"].as_str().unwrap(),
                object["message"].as_str().unwrap()
            );
            assert!(text_line.starts_with(&shown), "{text_line}\n{shown}");
        }
        let commands: Vec<&str> = github.stdout.lines().collect();
        assert_eq!(commands.len(), problems.len(), "{}", github.stdout);
        for (command, object) in commands.iter().zip(&lines) {
            let start = format!(
                "::{} file={},line={},col={},title={}::",
                object["severity"].as_str().unwrap(),
                object["file"].as_str().unwrap().replace(',', "%2C"),
                object["line"],
                object["column"],
                object["code"].as_str().unwrap()
            );
            assert!(command.starts_with(&start), "{command}\n{start}");
            assert!(!command.contains('\n'));
        }
        // The summary stays on standard error, for people.
        assert!(json.stderr.contains("clause: "), "{}", json.stderr);
    }
    for code in [
        "link/anchor",
        "front-matter/key",
        "template/error",
        "config/key",
        "lock/changed",
    ] {
        assert!(seen.contains(code), "{code} not seen in {seen:?}");
    }
}
