//! Rendering: every page of the site through its template, in parallel and
//! in memory. Nothing is written here. A page whose inputs (everything its
//! template sees, and the templates) are unchanged since the previous build
//! is taken from the cache instead of being rendered again.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::HashWriter;
use crate::diagnostics::Diagnostic;
use crate::model::{Page, Site};
use crate::templates::Templates;
use crate::{urls, view};

/// Rendered pages by output path: (hash of the page's inputs, bytes).
pub type PageCache = HashMap<String, (u64, Arc<Vec<u8>>)>;

/// What rendering gave: each page's path and bytes, how many were rendered
/// (not taken from the cache), and the cache for next time.
pub struct Rendered {
    pub pages: Vec<(String, Arc<Vec<u8>>)>,
    pub rendered: usize,
    pub cache: PageCache,
}

/// One page's result: where it goes, the hash of its inputs, its bytes, and
/// whether it was rendered now (not taken from the cache).
struct RenderedPage {
    path: String,
    key: u64,
    bytes: Arc<Vec<u8>>,
    fresh: bool,
}

/// Renders `pages` with `templates` (whose sources hash to `templates_hash`),
/// reusing `previous` pages whose inputs are unchanged.
pub fn pages(
    site: &Site,
    pages: &[Page],
    templates: &Templates,
    templates_hash: u64,
    previous: &PageCache,
) -> Result<Rendered, Vec<Diagnostic>> {
    let results: Vec<Result<RenderedPage, Diagnostic>> = pages
        .par_iter()
        .map(|&page| {
            let context = view::context(site, page);
            let template = view::template_for(site, page);
            let key = inputs_hash(&context, template, templates_hash);
            let path = urls::page_file(&site.url(page));
            if let Some((hash, bytes)) = previous.get(&path) {
                if *hash == key {
                    return Ok(RenderedPage {
                        path,
                        key,
                        bytes: Arc::clone(bytes),
                        fresh: false,
                    });
                }
            }
            let html = templates.render(template, &context)?;
            Ok(RenderedPage {
                path,
                key,
                bytes: Arc::new(html.into_bytes()),
                fresh: true,
            })
        })
        .collect();
    let mut out = Rendered {
        pages: Vec::with_capacity(results.len()),
        rendered: 0,
        cache: PageCache::with_capacity(results.len()),
    };
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(RenderedPage {
                path,
                key,
                bytes,
                fresh,
            }) => {
                out.rendered += usize::from(fresh);
                out.cache.insert(path.clone(), (key, Arc::clone(&bytes)));
                out.pages.push((path, bytes));
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The hash of everything a page's rendering depends on: its context as
/// the template sees it, which template, and the templates themselves.
fn inputs_hash(context: &view::Context<'_>, template: &str, templates_hash: u64) -> u64 {
    let mut writer = HashWriter::default();
    // Serializing to a hasher cannot fail; a failure would only cost a re-render.
    view::fingerprinting(|| serde_json::to_writer(&mut writer, context)).ok();
    let _ = std::io::Write::write_all(&mut writer, template.as_bytes());
    let _ = std::io::Write::write_all(&mut writer, &templates_hash.to_le_bytes());
    writer.finish()
}
