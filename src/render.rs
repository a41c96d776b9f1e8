//! Rendering: every page of the site through its template, in parallel and
//! in memory. Nothing is written here.

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::{Page, Site};
use crate::templates::Templates;
use crate::{urls, view};

/// Renders `pages`; returns (output path, HTML) per page, or every problem met.
pub fn pages(
    site: &Site,
    pages: &[Page],
    templates: &Templates,
) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = pages
        .par_iter()
        .map(|&page| {
            let context = view::context(site, page);
            let html = templates.render(view::template_for(site, page), &context)?;
            Ok((urls::page_file(&site.url(page)), html.into_bytes()))
        })
        .collect();
    let mut rendered = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(page) => rendered.push(page),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(rendered)
    } else {
        Err(problems)
    }
}
