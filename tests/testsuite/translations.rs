//! Translations: UI strings and dates per language, the language switcher,
//! hreflang sets, the governing-language notice, and the combined page.

use std::collections::{BTreeMap, BTreeSet};

use crate::harness::TestSite;

#[test]
fn dates_and_words_in_the_six_built_in_languages() {
    let site = TestSite::fixture("languages");
    site.build("2026-06-01").assert_success();
    let cases = [
        (
            "/notice/",
            "en",
            "12 May 2026",
            "Effective date",
            "Contents",
        ),
        (
            "/zh/notice/",
            "zh-Hans",
            "2026年5月12日",
            "生效日期",
            "目录",
        ),
        ("/de/notice/", "de", "12. Mai 2026", "Gültig ab", "Inhalt"),
        (
            "/fr/notice/",
            "fr",
            "12 mai 2026",
            "Date d’entrée en vigueur",
            "Sommaire",
        ),
        (
            "/es/notice/",
            "es",
            "12 de mayo de 2026",
            "Fecha de entrada en vigor",
            "Índice",
        ),
        ("/ja/notice/", "ja", "2026年5月12日", "発効日", "目次"),
        // No built-in strings: English words, Portuguese month names.
        (
            "/pt-BR/notice/",
            "pt-BR",
            "12 maio 2026",
            "Effective date",
            "Contents",
        ),
    ];
    for (url, lang, date, label, contents) in cases {
        let page = site.page(url);
        assert_eq!(page.attr("html", "lang"), lang, "{url}");
        assert_eq!(page.text(".meta-date time"), date, "{url}");
        assert_eq!(
            page.attr(".meta-date time", "datetime"),
            "2026-05-12",
            "{url}"
        );
        assert_eq!(page.text(".meta-date dt"), label, "{url}");
        assert_eq!(page.text(".toc h2"), contents, "{url}");
    }
    // The versions list writes its dates the same way.
    assert_eq!(
        site.page("/de/notice/versions/").texts(".versions time"),
        ["12. Mai 2026"]
    );
    // Seven languages of the same version: one hreflang set of seven plus x-default.
    assert_eq!(
        check_hreflang(&site)["https://example.com/notice/"].len(),
        8
    );
}

#[test]
fn a_language_without_strings_falls_back_to_english_with_a_warning() {
    let site = TestSite::fixture("languages");
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_success();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .collect();
    assert_eq!(
        warnings,
        [
            "config.toml:25:12: warning: language `pt-BR` has no built-in strings: the theme's words will be in English (help: translate them in a [languages.pt-BR.strings] table or a theme's i18n/pt-BR.toml; docs/languages.md#the-keys lists the keys)"
        ]
    );
    // Translating every string silences it.
    let mut config = site.read("config.toml");
    config.push_str("\n[languages.pt-BR.strings]\n");
    // The keys are the English words file's.
    let english: toml::Table = toml::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n/en.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    for key in english["words"].as_table().unwrap().keys() {
        config.push_str(&format!("{key} = \"pt {key}\"\n"));
    }
    site.write("config.toml", &config);
    let run = site.run(&["build", "--as-of", "2026-06-01"]);
    run.assert_success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(site.page("/pt-BR/notice/").text(".toc h2"), "pt contents");
}

#[test]
fn strings_and_date_formats_can_be_overridden() {
    let site = TestSite::fixture("languages");
    let config = site.read("config.toml").replace(
        "[languages.en]\nname = \"English\"\n",
        "[languages.en]\nname = \"English\"\ndate_format = \"%B %-d, %Y\"\n[languages.en.strings]\ncontents = \"On this page\"\n",
    );
    site.write("config.toml", &config);
    site.build("2026-06-01").assert_success();
    let page = site.page("/notice/");
    assert_eq!(page.text(".toc h2"), "On this page");
    assert_eq!(page.text(".meta-date time"), "May 12, 2026");
    assert_eq!(page.text(".meta-date dt"), "Effective date");
}

#[test]
fn bad_string_keys_and_date_formats_are_errors() {
    let site = TestSite::fixture("languages");
    let config = site.read("config.toml").replace(
        "[languages.de]\nname = \"Deutsch\"\n",
        "[languages.de]\nname = \"Deutsch\"\ndate_format = \"%Q\"\nlocale = \"de_DE\"\n[languages.de.strings]\ncontent = \"Inhalt\"\n",
    );
    site.write("config.toml", &config);
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.error_lines(),
        [
            "config.toml:15:1: error: date format `%Q` is not valid (help: use chrono's strftime syntax, such as `%-d %B %Y` for 12 May 2026)",
            "config.toml:16:1: error: locale `de_DE` is not a language tag (help: use a BCP 47 tag such as `zh-Hans`, `en-GB` or `pt-BR`)",
        ]
    );
    // The keys are the theme's, so they are checked once config.toml is
    // otherwise valid and the theme is loaded.
    site.write(
        "config.toml",
        &config.replace("date_format = \"%Q\"\nlocale = \"de_DE\"\n", ""),
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.error_lines(),
        [
            "config.toml:16:1: error: unknown key `languages.de.strings.content` in config.toml (help: did you mean `contents`?)",
        ]
    );
}

#[test]
fn the_governing_notice_in_each_language_links_to_the_governing_page() {
    let site = TestSite::fixture("languages");
    site.build("2026-06-01").assert_success();
    assert_eq!(site.page("/notice/").count(".notice-governing"), 0);
    let cases = [
        (
            "/zh/notice/",
            "本文为译本。如与英文版本有任何不一致，以英文版本为准。阅读英文版本",
        ),
        (
            "/de/notice/",
            "Dies ist eine Übersetzung. Bei Abweichungen ist die Fassung auf Englisch maßgeblich. Fassung auf Englisch lesen",
        ),
        (
            "/fr/notice/",
            "Ceci est une traduction. En cas de divergence, la version en anglais prévaut. Lire la version en anglais",
        ),
        (
            "/es/notice/",
            "Esta es una traducción. En caso de discrepancia, prevalece la versión en inglés. Leer la versión en inglés",
        ),
        (
            "/ja/notice/",
            "これは翻訳版です。英語版と内容が異なる場合は、英語版が優先します。英語版を読む",
        ),
        (
            "/pt-BR/notice/",
            "This is a translation. If it differs from the English version, the English version prevails. Read the English version",
        ),
    ];
    for (url, text) in cases {
        let page = site.page(url);
        assert_eq!(page.text(".notice-governing"), text, "{url}");
        assert_eq!(
            page.attr(".notice-governing a", "href"),
            "/notice/",
            "{url}"
        );
    }
    // On a version page it links to the same version; on a home page, to the home page.
    assert_eq!(
        site.page("/fr/notice/versions/1/")
            .attr(".notice-governing a", "href"),
        "/notice/versions/1/"
    );
    assert_eq!(site.page("/ja/").attr(".notice-governing a", "href"), "/");
    assert_eq!(
        site.page("/ja/notice/versions/")
            .attr(".notice-governing a", "href"),
        "/notice/versions/"
    );
}

#[test]
fn no_governing_language_no_notice() {
    let site = TestSite::fixture("languages");
    let config = site
        .read("config.toml")
        .replace("governing_language = \"en\"\n", "");
    site.write("config.toml", &config);
    site.build("2026-06-01").assert_success();
    for url in ["/zh/notice/", "/de/", "/fr/notice/versions/"] {
        assert_eq!(site.page(url).count(".notice-governing"), 0, "{url}");
    }
}

/// The switcher's (language, href) pairs of a page.
fn switcher(site: &TestSite, url: &str) -> Vec<(String, String)> {
    let page = site.page(url);
    page.attrs(".languages a", "hreflang")
        .into_iter()
        .zip(page.attrs(".languages a", "href"))
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn the_switcher_leads_to_the_same_kind_of_page() {
    let site = TestSite::fixture("basic");
    site.build("2027-06-01").assert_success();
    // Current pages: each language's current page, even where the current versions differ.
    assert_eq!(
        switcher(&site, "/terms/"),
        pairs(&[("en", "/terms/"), ("zh", "/zh/terms/")])
    );
    // Version pages: the same version, in each language that has it.
    assert_eq!(
        switcher(&site, "/privacy/versions/1/"),
        pairs(&[
            ("en", "/privacy/versions/1/"),
            ("zh", "/zh/privacy/versions/1/")
        ])
    );
    assert_eq!(switcher(&site, "/terms/versions/2027/"), []);
    // Home pages and versions lists: the same kind of page.
    assert_eq!(
        switcher(&site, "/zh/"),
        pairs(&[("en", "/"), ("zh", "/zh/")])
    );
    assert_eq!(
        switcher(&site, "/zh/terms/versions/"),
        pairs(&[("en", "/terms/versions/"), ("zh", "/zh/terms/versions/")])
    );
    // Documents in one language have no switcher.
    assert_eq!(switcher(&site, "/cookies/"), []);
    // Each link names its language in that language, and marks the current one.
    let page = site.page("/zh/privacy/");
    assert_eq!(page.attrs(".languages a", "lang"), ["en", "zh"]);
    assert_eq!(page.texts(".languages a"), ["English", "中文"]);
    assert_eq!(
        page.attrs(".languages a[aria-current]", "href"),
        ["/zh/privacy/"]
    );
}

/// Every page's hreflang set, checked for the rules, by canonical URL.
fn check_hreflang(site: &TestSite) -> BTreeMap<String, Vec<(String, String)>> {
    let mut sets = BTreeMap::new();
    let mut langs = BTreeMap::new();
    for path in site
        .tree("dist")
        .into_keys()
        .filter(|p| p.ends_with("index.html"))
    {
        let page = site.page(&format!("/{}", path.trim_end_matches("index.html")));
        let canonical = page.attr("link[rel=canonical]", "href");
        let set: Vec<(String, String)> = page
            .attrs("link[rel=alternate][hreflang]", "hreflang")
            .into_iter()
            .zip(page.attrs("link[rel=alternate][hreflang]", "href"))
            .collect();
        langs.insert(canonical.clone(), page.attr("html", "lang"));
        sets.insert(canonical, set);
    }
    for (url, set) in &sets {
        if set.is_empty() {
            continue;
        }
        // Self-including, with the page's own language.
        assert!(
            set.contains(&(langs[url].clone(), url.clone())),
            "{url} not in its own set {set:?}"
        );
        let mut seen = BTreeSet::new();
        for (lang, href) in set {
            assert!(seen.insert(lang), "{url}: {lang} twice");
            // Every href is a page's canonical URL, and that page has the identical set.
            let other = sets
                .get(href)
                .unwrap_or_else(|| panic!("{url}: {href} is not a canonical URL"));
            assert_eq!(other, set, "{url} and {href} disagree");
            if lang != "x-default" {
                assert_eq!(&langs[href], lang, "{href}");
            }
        }
        // x-default is the default language's page, last.
        let (last, default_href) = set.last().unwrap();
        assert_eq!(last, "x-default", "{url}");
        assert!(
            set.iter().any(|(l, h)| l == "en" && h == default_href),
            "{url}"
        );
    }
    sets
}

#[test]
fn hreflang_sets_are_reciprocal_identical_and_self_including() {
    let site = TestSite::fixture("basic");
    for as_of in ["2026-06-01", "2027-06-01"] {
        site.build(as_of).assert_success();
        let sets = check_hreflang(&site);
        let base = "https://legal.example.com";
        let home = &sets[&format!("{base}/")];
        assert_eq!(
            home,
            &pairs(&[
                ("en", &format!("{base}/")),
                ("zh", &format!("{base}/zh/")),
                ("x-default", &format!("{base}/"))
            ])
        );
        assert_eq!(sets[&format!("{base}/privacy/versions/1/")].len(), 3);
        assert_eq!(sets[&format!("{base}/privacy/versions/")].len(), 3);
        assert!(sets[&format!("{base}/cookies/")].is_empty());
        // Current pages are alternates only while their current versions match.
        let terms = &sets[&format!("{base}/terms/")];
        if as_of == "2026-06-01" {
            assert_eq!(terms.len(), 3, "{terms:?}");
        } else {
            assert!(terms.is_empty(), "{terms:?}");
            assert!(sets[&format!("{base}/zh/terms/")].is_empty());
        }
    }
}

#[test]
fn combined_page_shows_every_language_of_the_current_version() {
    let site = TestSite::fixture("combined");
    site.build("2026-06-01").assert_success();
    let page = site.page("/privacy/");
    assert_eq!(page.attr("html", "lang"), "en");
    assert_eq!(page.text("h1"), "隐私政策 / Privacy Policy");
    // One section per language that has version 2, in declaration order.
    assert_eq!(page.attrs("section.language-section", "id"), ["zh", "en"]);
    assert_eq!(
        page.attrs("section.language-section", "lang"),
        ["zh-Hans", "en"]
    );
    assert_eq!(
        page.texts("section.language-section > h2"),
        ["隐私政策", "Privacy Policy"]
    );
    // The jump bar leads to the sections.
    assert_eq!(page.attrs(".jump-bar a", "href"), ["#zh", "#en"]);
    assert_eq!(page.texts(".jump-bar a"), ["中文", "English"]);
    assert_eq!(page.attrs(".jump-bar a", "lang"), ["zh-Hans", "en"]);
    // The governing notice once for the page, in its language, and once
    // in each translated section, in the section's.
    assert_eq!(page.count(".document-header .notice-governing"), 1);
    assert!(
        page.text(".document-header .notice-governing")
            .contains("the English version prevails")
    );
    assert_eq!(
        page.attr(".document-header .notice-governing a", "href"),
        "#en"
    );
    assert_eq!(page.count("section .notice-governing"), 1);
    assert_eq!(page.attr("#zh .notice-governing a", "href"), "#en");

    // Ids are prefixed by language and unique on the page.
    let ids = page.attrs("[id]", "id");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    // The body's headings sit below the section's own h2.
    assert_eq!(
        page.attrs("#zh .document-body h3", "id"),
        ["zh-scope", "zh-data-retention"]
    );
    assert_eq!(page.count(".document-body h1, .document-body h2"), 0);
    assert_eq!(
        page.attrs("#en .document-body h3", "id"),
        ["en-scope", "en-data-retention", "en-scope-1"]
    );
    // Each section's contents and links stay inside the section (but for
    // the governing notice, which leads to the governing section).
    for lang in ["zh", "en"] {
        let section_ids: BTreeSet<String> = page
            .attrs(&format!("#{lang} [id]"), "id")
            .into_iter()
            .collect();
        let body_links = format!("#{lang} a[href^='#']:not(.notice-governing a)");
        for href in page.attrs(&body_links, "href") {
            assert!(
                section_ids.contains(&href[1..]),
                "{lang}: {href} does not resolve in its section"
            );
            assert!(href.starts_with(&format!("#{lang}-")), "{href}");
        }
    }
    // Each contents block is named with its language, so the landmarks
    // differ, with a heading below the section's own h2.
    assert_eq!(page.texts("#zh .toc h3"), ["目录 (中文)"]);
    assert_eq!(page.texts("#en .toc h3"), ["Contents (English)"]);
    // The title's parts carry their languages.
    assert_eq!(page.attrs("h1 span", "lang"), ["zh-Hans", "en"]);
    assert_eq!(
        page.attrs("#zh .toc a", "href"),
        ["#zh-scope", "#zh-data-retention"]
    );
    assert_eq!(page.attrs("#en .document-body sup a", "href"), ["#en-fn-1"]);
}

#[test]
fn combined_mode_keeps_the_per_language_pages() {
    let site = TestSite::fixture("combined");
    site.build("2026-06-01").assert_success();
    // The default language's own text stays at its version URL.
    let own = site.page("/privacy/versions/2/");
    assert_eq!(own.count("section.language-section"), 0);
    assert_eq!(
        own.attrs(".document-body h2", "id"),
        ["scope", "data-retention", "scope-1"]
    );
    // Other languages keep their own pages.
    let zh = site.page("/zh/privacy/");
    assert_eq!(zh.attr("html", "lang"), "zh-Hans");
    assert_eq!(
        zh.attrs(".document-body h2", "id"),
        ["scope", "data-retention"]
    );
    // Japanese has only version 1: its own page, not part of the combined page.
    assert_eq!(site.page("/ja/privacy/").version_shown(), "1");
    // A document in one language is an ordinary page.
    assert_eq!(site.page("/cookies/").count("section.language-section"), 0);

    // hreflang: the combined page's set is the current pages' set, x-default the combined page.
    let sets = check_hreflang(&site);
    assert_eq!(
        sets["https://example.com/privacy/"],
        pairs(&[
            ("zh-Hans", "https://example.com/zh/privacy/"),
            ("en", "https://example.com/privacy/"),
            ("x-default", "https://example.com/privacy/"),
        ])
    );
    assert!(sets["https://example.com/ja/privacy/"].is_empty());
    // The switcher enters the combined page at the English section.
    assert_eq!(
        switcher(&site, "/ja/privacy/"),
        pairs(&[
            ("zh-Hans", "/zh/privacy/"),
            ("en", "/privacy/#en"),
            ("ja", "/ja/privacy/")
        ])
    );
    let zh = site.page("/zh/privacy/");
    assert_eq!(zh.attr(".notice-governing a", "href"), "/privacy/#en");
}

#[test]
fn links_into_a_combined_page_use_prefixed_anchors() {
    let site = TestSite::fixture("combined");
    site.run(&["check", "--as-of", "2026-06-01"])
        .assert_success();
    site.write(
        "content/cookies/1.en.md",
        "---\ntitle: Cookie Policy\neffective_date: 2025-01-01\nversion: \"1\"\nlanguage: en\n---\n[retention](/privacy/#data-retention)\n",
    );
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    assert_eq!(
        run.error_lines(),
        [
            "content/cookies/1.en.md:7:1: error: broken link `/privacy/#data-retention`: the page has no anchor `#data-retention` (help: on a combined page every id starts with its language: write `#en-data-retention`)"
        ]
    );
}

#[test]
fn a_translation_not_in_effect_is_not_shown_on_the_combined_page() {
    let site = TestSite::fixture("combined");
    // Chinese version 2 of the notice takes effect on 2026-09-01.
    site.build("2026-06-01").assert_success();
    let page = site.page("/notice/");
    assert_eq!(page.count("section.language-section"), 0);
    assert_eq!(page.version_shown(), "2");
    assert_eq!(site.page("/zh/notice/").version_shown(), "1");
    site.build("2026-09-01").assert_success();
    assert_eq!(
        site.page("/notice/")
            .attrs("section.language-section", "id"),
        ["zh", "en"]
    );
}

#[test]
fn combined_section_anchors_and_clashing_ids() {
    let site = TestSite::fixture("combined");
    site.write(
        "content/cookies/1.en.md",
        "---\ntitle: Cookie Policy\neffective_date: 2025-01-01\nversion: \"1\"\nlanguage: en\n---\n[Chinese](/privacy/#zh), [contents](/privacy/#en--toc)\n",
    );
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    assert_eq!(
        run.error_lines(),
        [
            "content/cookies/1.en.md:7:26: error: broken link `/privacy/#en--toc`: the page has no anchor `#en--toc` (help: the nearest anchors on that page are `#en`, `#en-fn-1`, `#en-scope`; give a heading a fixed anchor with `{#name}`)"
        ]
    );

    // `en` and `en-us` on one page: `en` + `us-residents` and `en-us` + `residents` clash.
    let site = TestSite::fixture("combined");
    let config = site.read("config.toml").replace(
        "[languages.ja]",
        "[languages.en-us]\nname = \"English (US)\"\n\n[languages.ja]",
    );
    site.write("config.toml", &config);
    site.write("content/privacy/2.en.md", "---\ntitle: P\neffective_date: 2026-01-01\nversion: \"2\"\nlanguage: en\n---\n## US residents\n");
    site.write("content/privacy/2.en-us.md", "---\ntitle: P\neffective_date: 2026-01-01\nversion: \"2\"\nlanguage: en-us\n---\n## Residents\n");
    site.remove("content/cookies/1.en.md");
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    assert_eq!(
        run.error_lines(),
        [
            "content/privacy/2.en-us.md:1:1: error: on the combined page of `privacy`, the id `en-us-residents` comes from both the `en` and the `en-us` section (help: give the heading an explicit `{#id}` that the other language's prefix cannot produce)"
        ]
    );
}

#[test]
fn no_governing_text_no_claim_and_a_warning() {
    let site = TestSite::fixture("languages");
    // `terms` exists in French and German only; English governs.
    for lang in ["fr", "de"] {
        site.write(
            &format!("content/terms/1.{lang}.md"),
            &format!("---\ntitle: T {lang}\neffective_date: 2026-01-01\nversion: \"1\"\nlanguage: {lang}\n---\nText.\n"),
        );
    }
    let run = site.build("2026-06-01");
    run.assert_success();
    assert!(
        run.stderr.contains("content/terms/1.de.md:1:1: warning: `terms` has no version in the governing language `en`, so its pages say nothing about which version prevails"),
        "{}",
        run.stderr
    );
    for url in ["/fr/terms/", "/de/terms/", "/fr/terms/versions/1/"] {
        assert_eq!(site.page(url).count(".notice-governing"), 0, "{url}");
    }
    // Other documents keep their notice.
    assert_eq!(site.page("/fr/notice/").count(".notice-governing"), 1);

    // A governing language with no documents at all.
    let config = site
        .read("config.toml")
        .replace("governing_language = \"en\"", "governing_language = \"ja\"");
    site.write("config.toml", &config);
    site.remove("content/notice/1.ja.md");
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_success();
    assert!(
        run.stderr
            .contains("config.toml:4:1: warning: the governing language `ja` has no documents"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_date_format_with_a_time_is_an_error_not_a_crash() {
    let site = TestSite::fixture("languages");
    let config = site.read("config.toml").replace(
        "[languages.en]\nname = \"English\"\n",
        "[languages.en]\nname = \"English\"\ndate_format = \"%H:%M %d\"\n",
    );
    site.write("config.toml", &config);
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.error_lines(),
        [
            "config.toml:8:1: error: date format `%H:%M %d` is not valid (help: use chrono's strftime syntax, such as `%-d %B %Y` for 12 May 2026)"
        ]
    );
}

#[test]
fn each_section_of_the_combined_page_says_its_date_summary_and_changes_in_its_language() {
    let site = TestSite::fixture("combined");
    let zh = site.read("content/privacy/2.zh.md");
    site.write(
        "content/privacy/2.zh.md",
        &zh.replacen(
            "language: zh\n",
            "language: zh\nsummary: 我们如何处理数据。\nchanges: 缩短保存期限。\n",
            1,
        ),
    );
    site.build("2026-06-01").assert_success();
    let page = site.page("/privacy/");
    assert_eq!(page.texts("#zh p.summary"), ["我们如何处理数据。"]);
    // No space after the full-width colon in Chinese.
    assert_eq!(
        page.texts("#zh p.changes"),
        ["本版本的变更：缩短保存期限。"]
    );
    assert!(page.texts("#en p.changes").is_empty());
    let sections = page.texts("section.language-section .section-meta dt");
    assert!(sections.len() >= 2, "{sections:?}");
    // Each section's own words, not the default language's.
    assert!(sections.iter().any(|t| t == "生效日期"), "{sections:?}");
    assert!(
        sections.iter().any(|t| t == "Effective date"),
        "{sections:?}"
    );
    // The governing notice of a translated section is in its language,
    // naming the governing language in it, and leads to that section.
    let zh_notice = page.texts("#zh p.notice-governing");
    assert_eq!(zh_notice.len(), 1, "{zh_notice:?}");
    assert!(zh_notice[0].contains("英文"), "{zh_notice:?}");
    assert_eq!(page.attrs("#zh p.notice-governing a", "href"), ["#en"]);
    assert!(page.texts("#en p.notice-governing").is_empty());
}

#[test]
fn translations_of_a_version_that_disagree_on_its_date_are_warned_about() {
    let site = TestSite::fixture("basic");
    let zh = site.read("content/privacy/1.zh.md");
    let date = zh
        .lines()
        .find_map(|l| l.strip_prefix("effective_date: "))
        .unwrap()
        .to_string();
    site.write(
        "content/privacy/1.zh.md",
        &zh.replace(
            &format!("effective_date: {date}"),
            "effective_date: 2025-02-02",
        ),
    );
    let run = site.run(&["check", "--as-of", "2026-06-01"]);
    run.assert_success();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("takes effect on"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with(&format!(
            "content/privacy/1.zh.md:3:1: warning: version `1` takes effect on 2025-02-02 in `zh` but on {date} in `en`"
        )),
        "{}",
        warnings[0]
    );
}
