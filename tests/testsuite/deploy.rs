//! `clause deploy` to a folder target (`file:///...`): the first deploy
//! sends everything, a second sends nothing, an edit sends only what
//! changed, a version is never unpublished by accident, too many deletions
//! stop the deploy, a dry run changes nothing, headers are recorded in the
//! manifest, and objects changed behind clause's back are reported.

use std::collections::BTreeMap;

use crate::harness::TestSite;

struct Deployed {
    site: TestSite,
    target: tempfile::TempDir,
}

impl Deployed {
    fn new() -> Deployed {
        let site = TestSite::fixture("basic");
        site.build("2026-06-01").assert_success();
        Deployed {
            site,
            target: tempfile::tempdir().unwrap(),
        }
    }

    fn url(&self) -> String {
        format!("file://{}", self.target.path().display())
    }

    fn deploy(&self, extra: &[&str]) -> crate::harness::Run {
        let url = self.url();
        let mut args = vec!["deploy", "--target", url.as_str()];
        args.extend_from_slice(extra);
        self.site.run(&args)
    }

    /// The target's files and bytes.
    fn target(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(self.target.path()) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(self.target.path()).unwrap();
                files.insert(
                    rel.to_string_lossy().replace('\\', "/"),
                    std::fs::read(entry.path()).unwrap(),
                );
            }
        }
        files
    }

    fn manifest(&self) -> serde_json::Value {
        serde_json::from_slice(&self.target()["clause-manifest.json"]).unwrap()
    }

    fn summary(run: &crate::harness::Run) -> &str {
        run.stderr
            .lines()
            .rfind(|l| l.starts_with("clause: "))
            .unwrap_or_default()
    }
}

#[test]
fn a_first_deploy_publishes_the_output_and_a_second_sends_nothing() {
    let d = Deployed::new();
    let run = d.deploy(&[]);
    run.assert_success();
    let mut built = d.site.tree("dist");
    built.remove(".clause-output");
    let mut target = d.target();
    assert!(target.remove("clause-manifest.json").is_some());
    assert_eq!(
        target, built,
        "the target holds the built files, byte for byte"
    );
    let n = built.len();
    assert!(
        run.stderr.contains(&format!("{n} to upload")),
        "{}",
        run.stderr
    );
    assert!(
        Deployed::summary(&run)
            .contains(&format!("{n} uploaded, 0 replaced, 0 deleted, 0 unchanged"))
    );

    // The headers every file is to be served with, in the manifest.
    let manifest = d.manifest();
    let file = |path: &str| &manifest["files"][path];
    assert_eq!(
        file("privacy/index.html")["content_type"],
        "text/html; charset=utf-8"
    );
    assert_eq!(
        file("privacy/index.html")["cache_control"],
        "public, max-age=0, must-revalidate"
    );
    assert_eq!(file("sitemap.xml")["content_type"], "application/xml");
    assert_eq!(file("documents.json")["content_type"], "application/json");
    let hashed = crate::harness::hashed_style();
    assert_eq!(file(&hashed)["content_type"], "text/css; charset=utf-8");
    assert_eq!(
        file(&hashed)["cache_control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        file("privacy/index.html")["sha256"],
        clause::base::hash::sha256(&built["privacy/index.html"])
    );

    // Nothing changed: nothing is sent, not even the manifest.
    let before = std::fs::metadata(d.target.path().join("clause-manifest.json"))
        .unwrap()
        .modified()
        .unwrap();
    let run = d.deploy(&[]);
    run.assert_success();
    assert!(
        Deployed::summary(&run).contains(&format!(
            "0 uploaded, 0 replaced, 0 deleted, {n} unchanged; the target was already up to date"
        )),
        "{}",
        run.stderr
    );
    let after = std::fs::metadata(d.target.path().join("clause-manifest.json"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn an_edit_sends_only_the_files_it_changed_and_lists_their_urls() {
    let d = Deployed::new();
    d.deploy(&[]).assert_success();
    let text = d.site.read("content/cookies/1.en.md");
    d.site.write(
        "content/cookies/1.en.md",
        &text.replace(
            "Only a session cookie.",
            "Only a session cookie and no other.",
        ),
    );
    d.site.build("2026-06-01").assert_success();
    let urls = d.site.path("changed.txt");
    let run = d.deploy(&["--changed-urls", urls.to_str().unwrap()]);
    run.assert_success();
    let changed = std::fs::read_to_string(&urls).unwrap();
    let changed: Vec<&str> = changed.lines().collect();
    // The page and its version page, and the index of texts' hashes.
    assert_eq!(
        changed,
        [
            "https://legal.example.com/cookies/versions/1/",
            "https://legal.example.com/cookies/",
            "https://legal.example.com/documents.json",
        ]
    );
    assert!(
        Deployed::summary(&run).contains("0 uploaded, 3 replaced, 0 deleted"),
        "{}",
        run.stderr
    );
    let mut built = d.site.tree("dist");
    built.remove(".clause-output");
    let mut target = d.target();
    target.remove("clause-manifest.json");
    assert_eq!(target, built);
}

#[test]
fn a_published_version_is_never_unpublished_by_accident() {
    let d = Deployed::new();
    d.deploy(&[]).assert_success();
    let before = d.target();
    std::fs::remove_dir_all(d.site.path("content/cookies")).unwrap();
    d.site.build("2026-06-01").assert_success();
    let run = d.deploy(&[]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("error: deleting `cookies/versions/1/index.html` would unpublish a version the live site has published"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was changed"), "{}", run.stderr);
    assert_eq!(d.target(), before, "a refused deploy changes nothing");

    let run = d.deploy(&["--allow-unpublish"]);
    run.assert_success();
    assert!(!d.target().contains_key("cookies/versions/1/index.html"));
    assert!(!d.target().contains_key("cookies/index.html"));
}

#[test]
fn too_many_deletions_stop_the_deploy() {
    let d = Deployed::new();
    d.deploy(&[]).assert_success();
    let before = d.target();
    std::fs::remove_dir_all(d.site.path("content/legal")).unwrap();
    d.site.build("2026-06-01").assert_success();
    let run = d.deploy(&["--max-deletes", "1", "--allow-unpublish"]);
    run.assert_code(1);
    assert!(run.stderr.contains("more than 1 (help:"), "{}", run.stderr);
    assert_eq!(d.target(), before);
    // The limit can come from config.toml too.
    d.site.write(
        "config.toml",
        &(d.site.read("config.toml") + "\n[deploy]\nmax_deletes = 1\n"),
    );
    d.deploy(&["--allow-unpublish"]).assert_code(1);
    d.deploy(&["--allow-unpublish", "--max-deletes", "100"])
        .assert_success();
}

#[test]
fn a_dry_run_prints_the_plan_and_changes_nothing() {
    let d = Deployed::new();
    let run = d.deploy(&["--dry-run"]);
    run.assert_success();
    assert!(
        run.stderr.contains("clause: plan for file://"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("clause: dry run: nothing was changed"),
        "{}",
        run.stderr
    );
    assert!(d.target().is_empty());
}

#[test]
fn the_target_comes_from_config_and_a_missing_one_is_a_usage_error() {
    let d = Deployed::new();
    let run = d.site.run(&["deploy"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("no target to deploy to"),
        "{}",
        run.stderr
    );
    d.site.write(
        "config.toml",
        &(d.site.read("config.toml") + &format!("\n[deploy]\ntarget = \"{}\"\n", d.url())),
    );
    d.site.run(&["deploy"]).assert_success();
    assert!(d.target().contains_key("index.html"));
    // An unknown key under [deploy] is reported with the known ones.
    d.site.write(
        "config.toml",
        &d.site.read("config.toml").replace("target =", "targt ="),
    );
    let run = d.site.run(&["deploy"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("unknown key `deploy.targt` in config.toml (help: did you mean `target`?)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_changed_behind_the_deploy_is_reported_and_put_back() {
    let d = Deployed::new();
    d.deploy(&[]).assert_success();
    let page = d.target.path().join("privacy/index.html");
    std::fs::write(&page, "defaced").unwrap();
    let run = d.deploy(&[]);
    run.assert_success();
    assert!(
        run.stderr.contains(
            "warning: `privacy/index.html` in the target is not what the last deploy wrote"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(&page).unwrap(),
        d.site.tree("dist")["privacy/index.html"]
    );
}

#[test]
fn verify_proves_the_live_site_is_the_build_and_the_lock() {
    let d = Deployed::new();
    d.site.run(&["lock"]).assert_success();
    d.site.build("2026-06-01").assert_success();
    d.deploy(&[]).assert_success();
    let url = d.url();
    let run = d.site.run(&["verify", "--target", &url]);
    run.assert_success();
    let locked = d
        .site
        .read("clause.lock")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .count();
    assert!(locked > 0);
    let n = d.site.tree("dist").len() - 1;
    assert!(
        run.stderr.contains(&format!(
            "all {n} files are the built ones, and the {locked} locked versions are the built text"
        )),
        "{}",
        run.stderr
    );

    // Changed and removed behind the deploy's back: each is listed, exit 1.
    std::fs::write(d.target.path().join("privacy/index.html"), "defaced").unwrap();
    std::fs::remove_file(d.target.path().join("robots.txt")).unwrap();
    let run = d.site.run(&["verify", "--target", &url]);
    run.assert_code(1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(
        lines[0].starts_with("privacy/index.html: differs: live SHA-256 "),
        "{}",
        run.stderr
    );
    assert_eq!(lines[1], "robots.txt: missing from the live site");
    assert!(run.stderr.contains("2 mismatches in "), "{}", run.stderr);

    // A lock that says another text than the one built and published.
    d.deploy(&[]).assert_success();
    let lock = d.site.read("clause.lock");
    let line = lock
        .lines()
        .find(|l| l.starts_with("privacy\ten\t1\t"))
        .unwrap()
        .to_string();
    let mut fields: Vec<&str> = line.split('\t').collect();
    let other = "0".repeat(64);
    fields[4] = &other;
    d.site
        .write("clause.lock", &lock.replace(&line, &fields.join("\t")));
    let run = d.site.run(&["verify", "--target", &url]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("clause.lock: privacy en 1: the built text's SHA-256 is "),
        "{}",
        run.stderr
    );
}

#[test]
fn a_deploy_that_stops_half_way_is_completed_by_running_it_again() {
    let d = Deployed::new();
    // Something in the target that a file cannot be written over: the
    // deploy stops there, after the files that go before it.
    let blocker = d.target.path().join("robots.txt");
    std::fs::create_dir_all(blocker.join("in-the-way")).unwrap();
    let run = d.deploy(&[]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("error: cannot upload `robots.txt`: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the deploy stopped; run it again to complete it"),
        "{}",
        run.stderr
    );
    // Pages went out before the indexes that point at them; no manifest yet.
    assert!(d.target().contains_key("privacy/index.html"));
    assert!(!d.target().contains_key("sitemap.xml"));
    assert!(!d.target().contains_key("clause-manifest.json"));

    std::fs::remove_dir_all(&blocker).unwrap();
    d.deploy(&[]).assert_success();
    let mut built = d.site.tree("dist");
    built.remove(".clause-output");
    let mut target = d.target();
    assert!(target.remove("clause-manifest.json").is_some());
    assert_eq!(target, built);
    // And the deploy after that sends nothing.
    let run = d.deploy(&[]);
    assert!(run.stderr.contains("already up to date"), "{}", run.stderr);
}

#[test]
fn header_rules_in_config_replace_the_defaults_and_send_the_files_again() {
    let d = Deployed::new();
    d.deploy(&[]).assert_success();
    let config = d.site.read("config.toml");
    d.site.write(
        "config.toml",
        &(config.clone()
            + "\n[[deploy.headers]]\npath = \"**/*.xml\"\ncache_control = \"public, max-age=300\"\n"),
    );
    let run = d.deploy(&[]);
    run.assert_success();
    // The two feeds and the sitemap: same bytes, new headers.
    assert!(
        Deployed::summary(&run).contains("0 uploaded, 3 replaced, 0 deleted"),
        "{}",
        run.stderr
    );
    let manifest = d.manifest();
    assert_eq!(
        manifest["files"]["sitemap.xml"]["cache_control"],
        "public, max-age=300"
    );
    assert_eq!(
        manifest["files"]["sitemap.xml"]["content_type"],
        "application/xml"
    );
    assert_eq!(
        manifest["files"]["index.html"]["cache_control"],
        "public, max-age=0, must-revalidate"
    );

    // A rule that sets nothing, or a value with a line break, is an error.
    d.site.write(
        "config.toml",
        &(config + "\n[[deploy.headers]]\npath = \"**\"\ncache_control = \"a\\nb\"\n"),
    );
    let run = d.deploy(&[]);
    run.assert_code(1);
    assert!(
        run.stderr.contains(
            "a header of the [[deploy.headers]] rule for `**` is empty or holds a line break"
        ),
        "{}",
        run.stderr
    );
}
