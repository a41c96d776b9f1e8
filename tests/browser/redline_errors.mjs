// A redline adds no HTML error of its own: reads the Nu HTML Checker's JSON
// report (vnu --format json) over a built site and lists every error on a
// redline page (`.../versions/<v>/changes/index.html`) that neither of its
// two versions' pages has (the same message), so the authors' own invalid
// raw HTML, which their version pages show too, is not counted against the
// redline.
//
// usage: node redline_errors.mjs REPORT.json SITE_DIR
// Exit 1 if a redline has an error of its own, 2 for errors of the harness.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const [report, site] = process.argv.slice(2);
if (!report || !site) {
  console.error("ERROR: harness: usage: node redline_errors.mjs REPORT.json SITE_DIR");
  process.exit(2);
}
let messages;
try {
  messages = JSON.parse(readFileSync(report, "utf8")).messages;
} catch (e) {
  console.error(`ERROR: harness: cannot read ${report}: ${e.message}`);
  process.exit(2);
}

// Errors by page, relative to the site: "a/versions/v/index.html".
const errors = new Map();
for (const m of messages) {
  if (m.type !== "error" && m.type !== "non-document-error") continue;
  // vnu writes file:/abs/path (one slash) or file:///abs/path.
  const page = relative(resolve(site), decodeURI((m.url ?? "").replace(/^file:\/*/, "/")));
  if (!errors.has(page)) errors.set(page, new Set());
  errors.get(page).add(m.message);
}

function* redlines(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name === "changes") yield relative(site, join(path, "index.html"));
      else yield* redlines(path);
    }
  }
}

let pages = 0;
const own = [];
for (const page of redlines(site)) {
  pages += 1;
  const html = readFileSync(join(site, page), "utf8");
  // The comparison line links the new version, then the old one.
  const line = html.match(/class="redline-compared">([\s\S]*?)<\/p>/)?.[1] ?? "";
  const links = [...line.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
  const documentDir = page.replace(/\/?versions\/[^/]+\/changes\/index\.html$/, "");
  const pageOf = (href) => {
    const version = href.match(/versions\/([^/]+)\/$/)?.[1];
    return version ? join(documentDir, "versions", decodeURIComponent(version), "index.html") : "";
  };
  const allowed = new Set([...(errors.get(pageOf(links[0] ?? "")) ?? []), ...(errors.get(pageOf(links[1] ?? "")) ?? [])]);
  for (const message of errors.get(page) ?? []) {
    if (!allowed.has(message)) own.push(`${page}: ${message}`);
  }
}
for (const line of own) console.error(`FAIL: redline-errors: ${line}`);
if (own.length === 0) console.log(`PASS: redline-errors: none of ${pages} redlines has an HTML error its versions' pages do not have`);
process.exit(own.length ? 1 : 0);
