//! What a deploy will do, worked out before anything is sent: which files
//! to upload, replace or delete, in an order that never puts a page live
//! before what it links to, and what must stop the deploy (unpublishing a
//! version, too many deletions). Pure: the caller lists the target and
//! reads the manifest the last deploy left there.

use std::collections::{BTreeMap, BTreeSet};

/// A file of the built output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    /// Its path in the output (`privacy/index.html`).
    pub path: String,
    pub sha256: String,
    pub size: u64,
    /// The headers it is to be served with: Content-Type, Cache-Control.
    pub headers: (String, String),
}

/// What the last deploy recorded of a file it put in the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub sha256: String,
    pub size: u64,
    pub headers: (String, String),
    /// The target's tag for the object as it was written, when it gives one.
    pub e_tag: Option<String>,
}

/// An object as the target lists it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub size: u64,
    pub e_tag: Option<String>,
}

/// The target's state.
#[derive(Debug, Clone, Default)]
pub struct Remote {
    pub listing: BTreeMap<String, Listed>,
    /// From the manifest of the last deploy (empty before the first).
    pub recorded: BTreeMap<String, Recorded>,
    /// The folders of the versions the live site has published
    /// (`privacy/versions/2025-03-01/`), from its documents.json.
    pub published_versions: BTreeSet<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// More deletions than this stop the deploy.
    pub max_deletes: usize,
    /// Allow deleting the pages of a published version.
    pub allow_unpublish: bool,
}

/// The groups a deploy sends in turn: what pages link to comes before them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Stylesheets, images, attachments: everything that is not a page.
    Assets,
    /// The pages of each version and its redline.
    VersionPages,
    /// Current pages, versions lists and home pages.
    Pages,
    /// Redirect pages, feeds, sitemap, robots.txt, `_redirects` and
    /// documents.json: they point at pages that must exist first.
    Indexes,
    /// Files the site no longer has, last.
    Deletions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Upload,
    Replace,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub stage: Stage,
    pub action: Action,
    pub path: String,
    /// Bytes to send (0 for a deletion).
    pub size: u64,
}

/// A deploy's plan.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// In the order they must run.
    pub steps: Vec<Step>,
    /// Files the target already holds as built.
    pub unchanged: usize,
    /// Objects that differ from what the last deploy wrote: someone else
    /// changed them. Each is replaced (or deleted) and reported.
    pub changed_behind: Vec<String>,
    /// Objects no deploy recorded: left alone, and reported.
    pub foreign: Vec<String>,
}

impl Plan {
    /// How many steps do `action`, and how many bytes they send.
    pub fn count(&self, action: Action) -> (usize, u64) {
        self.steps
            .iter()
            .filter(|s| s.action == action)
            .fold((0, 0), |(n, bytes), s| (n + 1, bytes + s.size))
    }
}

/// Why a deploy must not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It would delete these files of published versions.
    Unpublish(Vec<String>),
    /// It would delete more files than allowed.
    TooManyDeletes { count: usize, max: usize },
}

/// The plan that brings the target to `local`. `redirects` are the output
/// paths of the site's redirect pages (they go with the indexes).
pub fn plan(
    local: &[Local],
    remote: &Remote,
    redirects: &BTreeSet<String>,
    options: Options,
) -> Result<Plan, Vec<Refusal>> {
    let mut plan = Plan::default();
    // As the last deploy left it: recorded, and listed with the same tag (or size).
    let intact = |path: &str| match (remote.recorded.get(path), remote.listing.get(path)) {
        (Some(recorded), Some(listed)) => match (&recorded.e_tag, &listed.e_tag) {
            (Some(was), Some(is)) => was == is,
            _ => recorded.size == listed.size,
        },
        _ => false,
    };
    let local_paths: BTreeSet<&str> = local.iter().map(|f| f.path.as_str()).collect();
    for file in local {
        let listed = remote.listing.contains_key(&file.path);
        if listed && remote.recorded.contains_key(&file.path) && !intact(&file.path) {
            plan.changed_behind.push(file.path.clone());
        }
        let same = intact(&file.path)
            && remote
                .recorded
                .get(&file.path)
                .is_some_and(|r| r.sha256 == file.sha256 && r.headers == file.headers);
        if same {
            plan.unchanged += 1;
            continue;
        }
        plan.steps.push(Step {
            stage: stage_of(&file.path, redirects),
            action: if listed {
                Action::Replace
            } else {
                Action::Upload
            },
            path: file.path.clone(),
            size: file.size,
        });
    }
    for path in remote.listing.keys() {
        if local_paths.contains(path.as_str()) {
            continue;
        }
        if !remote.recorded.contains_key(path) {
            plan.foreign.push(path.clone());
            continue;
        }
        if !intact(path) {
            plan.changed_behind.push(path.clone());
        }
        plan.steps.push(Step {
            stage: Stage::Deletions,
            action: Action::Delete,
            path: path.clone(),
            size: 0,
        });
    }
    plan.steps
        .sort_by(|a, b| (a.stage, &a.path).cmp(&(b.stage, &b.path)));
    plan.changed_behind.sort();

    let mut refusals = Vec::new();
    let deletions: Vec<&Step> = plan
        .steps
        .iter()
        .filter(|s| s.action == Action::Delete)
        .collect();
    let unpublished: Vec<String> = deletions
        .iter()
        .filter(|s| {
            remote
                .published_versions
                .iter()
                .any(|folder| s.path.starts_with(folder.as_str()))
        })
        .map(|s| s.path.clone())
        .collect();
    if !unpublished.is_empty() && !options.allow_unpublish {
        refusals.push(Refusal::Unpublish(unpublished));
    }
    if deletions.len() > options.max_deletes {
        refusals.push(Refusal::TooManyDeletes {
            count: deletions.len(),
            max: options.max_deletes,
        });
    }
    if refusals.is_empty() {
        Ok(plan)
    } else {
        Err(refusals)
    }
}

/// Which group a file goes out with.
fn stage_of(path: &str, redirects: &BTreeSet<String>) -> Stage {
    let name = path.rsplit('/').next().unwrap_or(path);
    let is_index = redirects.contains(path)
        || matches!(
            path,
            "sitemap.xml" | "robots.txt" | "documents.json" | "_redirects"
        )
        || name.ends_with(".xml");
    if is_index {
        Stage::Indexes
    } else if !name.ends_with(".html") {
        Stage::Assets
    } else if is_version_page(path) {
        Stage::VersionPages
    } else {
        Stage::Pages
    }
}

/// A page inside a version's folder (`privacy/versions/2/index.html`, its
/// redline `privacy/versions/2/changes/index.html`), not the versions list.
fn is_version_page(path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').collect();
    segments
        .windows(3)
        .any(|w| w[0] == "versions" && w[1] != "index.html" && !w[2].is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(files: &[(&str, &str)]) -> Vec<Local> {
        files
            .iter()
            .map(|(path, text)| Local {
                path: path.to_string(),
                sha256: crate::base::hash::sha256(text.as_bytes()),
                size: text.len() as u64,
                headers: crate::deploy::headers::for_path(path, &[]),
            })
            .collect()
    }

    /// The target after `files` were deployed as they are.
    fn deployed(files: &[Local]) -> Remote {
        let mut remote = Remote::default();
        for (n, f) in files.iter().enumerate() {
            let e_tag = Some(format!("tag-{n}"));
            remote.listing.insert(
                f.path.clone(),
                Listed {
                    size: f.size,
                    e_tag: e_tag.clone(),
                },
            );
            remote.recorded.insert(
                f.path.clone(),
                Recorded {
                    sha256: f.sha256.clone(),
                    size: f.size,
                    headers: f.headers.clone(),
                    e_tag,
                },
            );
        }
        remote
    }

    const OPTIONS: Options = Options {
        max_deletes: 256,
        allow_unpublish: false,
    };

    fn site() -> Vec<Local> {
        local(&[
            ("index.html", "home"),
            ("privacy/index.html", "current"),
            ("privacy/versions/index.html", "list"),
            ("privacy/versions/1/index.html", "v1"),
            ("privacy/versions/2/index.html", "v2"),
            ("privacy/versions/2/changes/index.html", "redline"),
            ("privacy.html", "redirect"),
            ("static/style.3f9a0c1e2b.css", "css"),
            ("security/key.asc", "key"),
            ("feed.xml", "feed"),
            ("sitemap.xml", "sitemap"),
            ("robots.txt", "robots"),
            ("documents.json", "json"),
            ("_redirects", "redirects"),
        ])
    }

    fn redirects() -> BTreeSet<String> {
        BTreeSet::from(["privacy.html".to_string()])
    }

    fn order(plan: &Plan) -> Vec<&str> {
        plan.steps.iter().map(|s| s.path.as_str()).collect()
    }

    #[test]
    fn a_first_deploy_sends_what_pages_link_to_before_the_pages() {
        let plan = plan(&site(), &Remote::default(), &redirects(), OPTIONS).unwrap();
        assert_eq!(
            order(&plan),
            [
                "security/key.asc",
                "static/style.3f9a0c1e2b.css",
                "privacy/versions/1/index.html",
                "privacy/versions/2/changes/index.html",
                "privacy/versions/2/index.html",
                "index.html",
                "privacy/index.html",
                "privacy/versions/index.html",
                "_redirects",
                "documents.json",
                "feed.xml",
                "privacy.html",
                "robots.txt",
                "sitemap.xml",
            ]
        );
        assert_eq!(plan.count(Action::Upload).0, 14);
        assert_eq!(plan.unchanged, 0);
    }

    #[test]
    fn a_second_deploy_with_nothing_changed_sends_nothing() {
        let files = site();
        let plan = plan(&files, &deployed(&files), &redirects(), OPTIONS).unwrap();
        assert!(plan.steps.is_empty(), "{:?}", plan.steps);
        assert_eq!(plan.unchanged, files.len());
        assert!(plan.changed_behind.is_empty() && plan.foreign.is_empty());
    }

    #[test]
    fn an_edit_replaces_only_what_changed() {
        let before = site();
        let mut after = site();
        after[1] = local(&[("privacy/index.html", "current, edited")]).remove(0);
        let plan = plan(&after, &deployed(&before), &redirects(), OPTIONS).unwrap();
        assert_eq!(order(&plan), ["privacy/index.html"]);
        assert_eq!(plan.steps[0].action, Action::Replace);
        assert_eq!(plan.count(Action::Replace), (1, 15));
    }

    #[test]
    fn new_headers_send_the_file_again() {
        let before = site();
        let mut after = site();
        after[7].headers.1 = "public, max-age=60".into();
        let plan = plan(&after, &deployed(&before), &redirects(), OPTIONS).unwrap();
        assert_eq!(order(&plan), ["static/style.3f9a0c1e2b.css"]);
        assert_eq!(plan.steps[0].action, Action::Replace);
    }

    #[test]
    fn unpublishing_a_version_is_refused_unless_allowed() {
        let before = site();
        let mut remote = deployed(&before);
        remote
            .published_versions
            .insert("privacy/versions/1/".to_string());
        let after: Vec<Local> = site()
            .into_iter()
            .filter(|f| !f.path.starts_with("privacy/versions/1/"))
            .collect();
        assert_eq!(
            plan(&after, &remote, &redirects(), OPTIONS).unwrap_err(),
            [Refusal::Unpublish(vec![
                "privacy/versions/1/index.html".to_string()
            ])]
        );
        let allowed = Options {
            allow_unpublish: true,
            ..OPTIONS
        };
        let plan = plan(&after, &remote, &redirects(), allowed).unwrap();
        assert_eq!(order(&plan), ["privacy/versions/1/index.html"]);
        assert_eq!(plan.steps[0].stage, Stage::Deletions);
    }

    #[test]
    fn too_many_deletions_stop_the_deploy() {
        let before = site();
        let few = Options {
            max_deletes: 2,
            ..OPTIONS
        };
        let after = &before[..10];
        assert_eq!(
            plan(after, &deployed(&before), &redirects(), few).unwrap_err(),
            [Refusal::TooManyDeletes { count: 4, max: 2 }]
        );
    }

    #[test]
    fn objects_changed_behind_the_deploy_are_reported_and_foreign_ones_left_alone() {
        let files = site();
        let mut remote = deployed(&files);
        // Someone rewrote the home page and dropped a file of their own.
        remote.listing.get_mut("index.html").unwrap().e_tag = Some("theirs".into());
        remote.listing.insert(
            "google1234.html".into(),
            Listed {
                size: 10,
                e_tag: None,
            },
        );
        let plan = plan(&files, &remote, &redirects(), OPTIONS).unwrap();
        assert_eq!(order(&plan), ["index.html"]);
        assert_eq!(plan.steps[0].action, Action::Replace);
        assert_eq!(plan.changed_behind, ["index.html"]);
        assert_eq!(plan.foreign, ["google1234.html"]);
    }

    #[test]
    fn version_pages_are_told_from_the_versions_list() {
        assert!(is_version_page("privacy/versions/2/index.html"));
        assert!(is_version_page(
            "zh/legal/dpa/versions/2025-01-01/changes/index.html"
        ));
        assert!(!is_version_page("privacy/versions/index.html"));
        assert!(!is_version_page("privacy/index.html"));
        assert!(!is_version_page("versions.html"));
    }

    proptest::proptest! {
        /// Whatever was deployed before and whatever is built now, carrying
        /// out the plan leaves the target holding the built files (and
        /// objects no deploy made), and the steps run stage by stage.
        #[test]
        fn the_plan_brings_the_target_to_the_built_output(
            before in proptest::collection::vec(proptest::bool::ANY, 14),
            after in proptest::collection::vec(0u8..3, 14),
        ) {
            let all = site();
            let deployed_files: Vec<Local> = all
                .iter()
                .zip(&before)
                .filter(|(_, kept)| **kept)
                .map(|(f, _)| f.clone())
                .collect();
            // 0: gone, 1: as before, 2: edited.
            let built: Vec<Local> = all
                .iter()
                .zip(&after)
                .filter(|(_, what)| **what > 0)
                .map(|(f, what)| match what {
                    2 => local(&[(f.path.as_str(), "edited")]).remove(0),
                    _ => f.clone(),
                })
                .collect();
            let remote = deployed(&deployed_files);
            let options = Options { max_deletes: 256, allow_unpublish: true };
            let plan = plan(&built, &remote, &redirects(), options).unwrap();
            let mut target: BTreeMap<String, String> = deployed_files
                .iter()
                .map(|f| (f.path.clone(), f.sha256.clone()))
                .collect();
            for step in &plan.steps {
                match step.action {
                    Action::Delete => {
                        proptest::prop_assert!(target.remove(&step.path).is_some());
                    }
                    Action::Upload | Action::Replace => {
                        let file = built.iter().find(|f| f.path == step.path).unwrap();
                        let was = target.insert(step.path.clone(), file.sha256.clone());
                        proptest::prop_assert_eq!(was.is_some(), step.action == Action::Replace);
                    }
                }
            }
            let want: BTreeMap<String, String> = built
                .iter()
                .map(|f| (f.path.clone(), f.sha256.clone()))
                .collect();
            proptest::prop_assert_eq!(target, want);
            proptest::prop_assert!(plan.steps.windows(2).all(|w| w[0].stage <= w[1].stage));
            proptest::prop_assert_eq!(plan.unchanged + plan.steps.iter().filter(|s| s.action != Action::Delete).count(), built.len());
        }
    }
}
