//! Embeds `themes/default/` in the binary, so `clause build` works in a site
//! folder that has no theme of its own. The same files are the repository's
//! example theme, so there is one copy to edit.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(&path, root, out);
        } else {
            let rel = path.strip_prefix(root).expect("walked from root");
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, path));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let theme = manifest.join("themes").join("default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    let mut code = String::from(
        "/// The default theme's files: (path inside the theme, bytes).\npub static DEFAULT_THEME: &[(&str, &[u8])] = &[\n",
    );
    for (rel, path) in files {
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .expect("write to String");
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("default_theme.rs");
    std::fs::write(out, code).expect("write generated theme table");
}
