//! The offline copy (`clause build --offline`, `clause archive`): the same
//! pages with every link into the site made relative to the page and
//! ending in `index.html`, so the tree works opened from the file system
//! or from inside a zip, where `/privacy/` means nothing.

/// `html`, the page at `page` (its path in the output, such as
/// `privacy/versions/2/index.html`), with each `href`, `src` and meta
/// refresh URL that starts with the site's `base_path` rewritten relative
/// to the page: `/privacy/#retention` on `terms/index.html` becomes
/// `../privacy/index.html#retention`. Other URLs (another site, `mailto:`,
/// `#top`) stay as they are.
pub fn relativize(html: &str, page: &str, base_path: &str) -> String {
    let up = "../".repeat(page.matches('/').count());
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some((at, quote)) = next_url(rest) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(quote).unwrap_or(rest.len());
        out.push_str(&relative(&rest[..end], &up, base_path));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Where the next URL value starts in `html`, and the quote that ends it.
fn next_url(html: &str) -> Option<(usize, char)> {
    const OPENINGS: &[(&str, char)] = &[
        (" href=\"", '"'),
        (" src=\"", '"'),
        (" href='", '\''),
        (" src='", '\''),
        // A redirect page's `<meta http-equiv="refresh" content="0; url=...">`.
        ("; url=", '"'),
    ];
    OPENINGS
        .iter()
        .filter_map(|(opening, quote)| {
            memchr::memmem::find(html.as_bytes(), opening.as_bytes())
                .map(|at| (at + opening.len(), *quote))
        })
        .min_by_key(|(at, _)| *at)
}

/// One URL, relative to a page `up` folders below the site's root if it
/// is a site path.
fn relative(url: &str, up: &str, base_path: &str) -> String {
    let Some(path) = url
        .strip_prefix(base_path)
        .filter(|_| !url.starts_with("//"))
    else {
        // `/legal` for the base path `/legal/` is the home page.
        if format!("{url}/") == base_path {
            return format!("{up}index.html");
        }
        return url.to_string();
    };
    let split = path.find(['?', '#']).unwrap_or(path.len());
    let (path, suffix) = path.split_at(split);
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    format!("{up}{file}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_links_become_relative_files() {
        let page = "<a href=\"/privacy/#retention\">p</a><link href=\"/static/style.1a.css\"><img src='/logo.svg'><a href=\"#top\">t</a><a href=\"https://example.com/x/\">x</a><a href=\"mailto:a@b.c\">m</a><a href=\"/\">home</a><a href=\"/privacy/versions/?v=2\">v</a>";
        assert_eq!(
            relativize(page, "terms/versions/2/index.html", "/"),
            "<a href=\"../../../privacy/index.html#retention\">p</a><link href=\"../../../static/style.1a.css\"><img src='../../../logo.svg'><a href=\"#top\">t</a><a href=\"https://example.com/x/\">x</a><a href=\"mailto:a@b.c\">m</a><a href=\"../../../index.html\">home</a><a href=\"../../../privacy/versions/index.html?v=2\">v</a>"
        );
        assert_eq!(
            relativize("<a href=\"/terms/\">t</a>", "index.html", "/"),
            "<a href=\"terms/index.html\">t</a>"
        );
    }

    #[test]
    fn a_base_path_is_the_root_of_the_copy() {
        let page =
            "<a href=\"/legal/terms/\">t</a><a href=\"/legal\">h</a><a href=\"/support/\">s</a>";
        assert_eq!(
            relativize(page, "zh/index.html", "/legal/"),
            "<a href=\"../terms/index.html\">t</a><a href=\"../index.html\">h</a><a href=\"/support/\">s</a>"
        );
    }

    #[test]
    fn redirect_pages_refresh_to_a_relative_file() {
        let page = "<meta http-equiv=\"refresh\" content=\"0; url=/privacy/\">";
        assert_eq!(
            relativize(page, "privacy.html", "/"),
            "<meta http-equiv=\"refresh\" content=\"0; url=privacy/index.html\">"
        );
    }
}
