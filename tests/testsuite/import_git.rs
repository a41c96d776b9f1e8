//! `clause import-git` on a repository the test makes with the git CLI:
//! three commits of a policy over two days (one of them a commit that did
//! not touch it), a tag.

use std::path::Path;
use std::process::Command;

use crate::harness::TestSite;

fn git(dir: &Path, args: &[&str], date: &str) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_AUTHOR_NAME", "Legal")
        .env("GIT_AUTHOR_EMAIL", "legal@example.com")
        .env("GIT_COMMITTER_NAME", "Legal")
        .env("GIT_COMMITTER_EMAIL", "legal@example.com")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// A repository with `policies/privacy.md` changed on 2025-03-01 (twice)
/// and 2025-04-15, an unrelated commit between, the last change tagged.
fn repository(dir: &Path) {
    std::fs::create_dir_all(dir.join("policies")).unwrap();
    git(dir, &["init", "-q", "-b", "main"], "2025-03-01T09:00:00Z");
    let commit = |text: &str, file: &str, subject: &str, date: &str| {
        std::fs::write(dir.join(file), text).unwrap();
        git(dir, &["add", "."], date);
        git(dir, &["commit", "-q", "-m", subject], date);
    };
    commit(
        "# Privacy Policy\n\nWe keep logs.\n",
        "policies/privacy.md",
        "First privacy policy",
        "2025-03-01T09:00:00Z",
    );
    commit(
        "# Privacy Policy\n\nWe keep logs for a year.\n",
        "policies/privacy.md",
        "Say how long",
        "2025-03-01T16:00:00Z",
    );
    commit(
        "unrelated\n",
        "README.md",
        "Add a readme",
        "2025-03-20T10:00:00Z",
    );
    commit(
        "---\nlayout: page\ntitle: Privacy Notice\n---\n# Privacy Notice\n\nWe keep logs for two years.\n",
        "policies/privacy.md",
        "Two years; rename",
        "2025-04-15T08:00:00Z",
    );
    git(dir, &["tag", "v2"], "2025-04-15T08:00:00Z");
}

#[test]
fn a_files_history_becomes_draft_versions_by_day_commit_or_tag() {
    let site = TestSite::fixture("minimal");
    let repo = site.root.parent().unwrap().join("policy-repo");
    repository(&repo);
    let file = repo.join("policies/privacy.md");
    let run = site.run(&[
        "import-git",
        file.to_str().unwrap(),
        "--document",
        "privacy",
    ]);
    run.assert_success();
    assert!(
        run.stderr.contains("clause: 2 versions for `privacy`"),
        "{}",
        run.stderr
    );
    let first = site.read("content/privacy/2025-03-01.en.md");
    // The day's last text, its commit's date and subject, a draft.
    assert!(first.contains("We keep logs for a year."), "{first}");
    assert!(first.contains("title: Privacy Policy\n"), "{first}");
    assert!(first.contains("effective_date: 2025-03-01\n"), "{first}");
    assert!(
        first.contains("changes: Say how long (imported from git commit "),
        "{first}"
    );
    assert!(first.contains("draft: true\n"), "{first}");
    let second = site.read("content/privacy/2025-04-15.en.md");
    // Another tool's front matter is dropped; its title is kept.
    assert!(second.contains("title: Privacy Notice\n"), "{second}");
    assert!(!second.contains("layout: page"), "{second}");
    assert!(second.contains("We keep logs for two years."), "{second}");
    // The imported drafts check clean, and with --drafts build.
    site.run(&["check", "--drafts", "--as-of", "2026-01-01"])
        .assert_success();

    // Never overwrites.
    let run = site.run(&[
        "import-git",
        file.to_str().unwrap(),
        "--document",
        "privacy",
    ]);
    run.assert_code(1);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);

    // By commit: three texts (the unrelated commit is no change); by tag: one.
    let run = site.run(&[
        "import-git",
        file.to_str().unwrap(),
        "--document",
        "by-commit",
        "--by",
        "commit",
    ]);
    run.assert_success();
    assert!(site.exists("content/by-commit/2025-03-01.en.md"));
    assert!(site.exists("content/by-commit/2025-03-01-2.en.md"));
    assert!(site.exists("content/by-commit/2025-04-15.en.md"));
    let run = site.run(&[
        "import-git",
        file.to_str().unwrap(),
        "--document",
        "by-tag",
        "--by",
        "tag",
    ]);
    run.assert_success();
    assert!(site.exists("content/by-tag/v2.en.md"));
    assert_eq!(site.tree("content/by-tag").len(), 1);

    // Outside a repository: a clear error.
    let run = site.run(&[
        "import-git",
        site.path("config.toml").to_str().unwrap(),
        "--document",
        "x",
    ]);
    run.assert_code(1);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
}
