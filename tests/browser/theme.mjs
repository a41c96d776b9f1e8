// Browser test of the default theme on the repository's example site, in
// headless Chromium: builds the site with a fixed date (so that every kind of
// page exists), serves it from a tiny static server on 127.0.0.1, and checks
//
//   - axe-core (its default rules: WCAG A/AA and best practices) on every page,
//     at 1280 and 390 px wide, in the light and the dark colour scheme;
//   - no horizontal scrolling at 390 px;
//   - print: navigation hidden with print media, and in real PDFs every
//     printed page carries the version and the effective date;
//   - the table of contents (a <details>, closed on phones, open on desktops)
//     and the language switcher;
//   - the redline's clean view (no deletions or marks, every passage open);
//
// and writes screenshots and PDFs to tests/browser/screenshots/ (gitignored).
// The Nu HTML Checker runs over the same output from run.sh.
//
// usage: node theme.mjs <clause binary> [<output dir>]
//   <output dir> must not exist yet, or be empty; it is kept (run.sh removes
//   it). Without it, a temporary folder is used and removed.
// Environment: CHROMIUM (default /usr/bin/chromium).
//
// Output: `PASS: <check>` / `FAIL: <check>: <finding>` lines for findings
// about the site, and `ERROR: <check>: harness error: ...` lines for problems
// of the test harness itself (timeouts, server errors, missing tools).
// Exit status: 0 all passed, 1 findings, 2 harness errors (with or without
// findings).

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const clause = resolve(process.argv[2] ?? join(repo, "target", "debug", "clause"));
const shots = join(here, "screenshots");
const started = Date.now();

const AS_OF = "2026-11-26";
const WIDTHS = { desktop: 1280, mobile: 390 };
const HEIGHT = 900;
const SCHEMES = ["light", "dark"];
const MIN_PAGES = 20;
const CONCURRENCY = 2;
const ACTION_TIMEOUT = 15_000;
const WATCHDOG = 6 * 60_000;
// Pages that must exist, one of each kind the checks below rely on.
const SUBSET = [
  "/",
  "/privacy/",
  "/privacy/versions/2026-05-12/changes/",
  "/zh/privacy/versions/2025-03-01/",
  "/terms/versions/2027-01-15/",
];
const PDF_PAGES = ["/privacy/versions/2026-05-12/", "/zh/privacy/versions/2025-03-01/", "/privacy/"];
const TOC_PAGE = "/privacy/versions/2026-05-12/";
const LANG_PAGE = "/privacy/versions/2025-03-01/";
const LANG_PAGE_ZH = "/zh/privacy/versions/2025-03-01/";
const EXPECTED = [...new Set([...SUBSET, ...PDF_PAGES, TOC_PAGE, LANG_PAGE, LANG_PAGE_ZH, "/zh/"])];
// A4 at 96 px per inch, for the print-media screenshots.
const PRINT_VIEWPORT = { width: 794, height: 1123 };

// ---------------------------------------------------------------- reporting

let findingsTotal = 0;
let harnessErrors = 0;

/// One check: collects its findings and prints them, sorted, when it ends.
class Check {
  constructor(name) {
    this.name = name;
    this.findings = [];
    this.errors = [];
  }
  fail(message) {
    this.findings.push(message);
  }
  /// A problem of the harness, not a finding about the site. Printed at once.
  error(message) {
    const line = `ERROR: ${this.name}: harness error: ${message}`;
    console.error(line);
    this.errors.push(line);
  }
  /// Prints the findings, then `epilogue` lines (a summary), then the verdict.
  end(passMessage, epilogue = []) {
    for (const f of [...this.findings].sort()) console.error(`FAIL: ${this.name}: ${f}`);
    if (this.findings.length) for (const line of epilogue) console.error(line);
    findingsTotal += this.findings.length;
    harnessErrors += this.errors.length;
    if (this.findings.length) {
      console.error(`FAIL: ${this.name}: ${this.findings.length} finding(s)`);
    } else if (this.errors.length) {
      console.error(`ERROR: ${this.name}: not fully checked (${this.errors.length} harness error(s))`);
    } else {
      console.log(`PASS: ${passMessage}`);
    }
  }
}

function errorText(e) {
  return String(e?.message ?? e).split("\n")[0];
}

const watchdog = setTimeout(() => {
  console.error(`ERROR: harness: watchdog: the run took more than ${WATCHDOG / 1000} s; giving up`);
  process.exit(2);
}, WATCHDOG);
watchdog.unref();

// ---------------------------------------------------------------- build

function outputDir() {
  const given = process.argv[3];
  if (given) {
    const dir = resolve(given);
    if (existsSync(dir) && readdirSync(dir).length) {
      console.error(`ERROR: harness: the output folder ${dir} is not empty`);
      process.exit(2);
    }
    return { dir, cleanup: () => {} };
  }
  const work = mkdtempSync(join(tmpdir(), "clause-theme-"));
  return { dir: join(work, "site"), cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

function build(out) {
  const check = new Check("build");
  const run = spawnSync(clause, ["--root", repo, "build", "--output", out, "--as-of", AS_OF], { encoding: "utf8" });
  if (run.error) {
    check.error(`cannot run ${clause}: ${run.error.message}`);
  } else {
    for (const line of `${run.stdout}${run.stderr}`.split("\n").filter(Boolean)) console.log(`  ${line}`);
    if (run.status !== 0) check.fail(`clause build exited with ${run.status ?? run.signal}`);
  }
  check.end(`build: the example site as of ${AS_OF}`);
  return check.findings.length === 0 && check.errors.length === 0;
}

/// URL paths of every `**/index.html` under `root`, sorted.
function listPages(root) {
  const pages = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === "index.html") {
        const rel = relative(root, dir).split(sep).join("/");
        pages.push(rel ? `/${rel}/` : "/");
      }
    }
  };
  walk(root);
  return pages.sort();
}

// ---------------------------------------------------------------- server

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/// A static server for `root` on 127.0.0.1: `/x/` serves `x/index.html`, `/x`
/// (a folder) redirects to `/x/`; 404 for anything else, and for any path that
/// would leave `root`. Records 5xx (server bugs) in `serverErrors`.
function serve(root, serverErrors) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    try {
      if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n", { allow: "GET, HEAD" });
      const url = new URL(req.url, "http://127.0.0.1");
      let path;
      try {
        path = decodeURIComponent(url.pathname);
      } catch {
        return send(400, "bad request\n");
      }
      if (path.includes("\0") || !path.startsWith("/")) return send(404, "not found\n");
      const file = resolve(base, `.${path}`);
      if (file !== base && !file.startsWith(base + sep)) return send(404, "not found\n");
      let stat;
      try {
        stat = statSync(file);
      } catch {
        return send(404, "not found\n");
      }
      if (stat.isDirectory()) {
        if (!url.pathname.endsWith("/")) {
          return send(301, "moved\n", { location: `${url.pathname}/${url.search}` });
        }
        const index = join(file, "index.html");
        if (!existsSync(index)) return send(404, "not found\n");
        return send(200, readFileSync(index), { "content-type": TYPES[".html"] });
      }
      if (!stat.isFile()) return send(404, "not found\n");
      const type = TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
      return send(200, readFileSync(file), { "content-type": type });
    } catch (e) {
      serverErrors.push(`${req.method} ${req.url}: ${errorText(e)}`);
      try {
        send(500, "internal error\n");
      } catch {
        res.destroy();
      }
    }
  });
  return new Promise((resolveServer, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolveServer({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

/// The server does what the checks assume (a harness check, not a finding).
async function selfCheckServer(origin) {
  const check = new Check("server");
  const expect = async (path, status, location) => {
    try {
      const r = await fetch(origin + path, { redirect: "manual", signal: AbortSignal.timeout(5000) });
      await r.arrayBuffer();
      if (r.status !== status) check.error(`GET ${path} answered ${r.status}, expected ${status}`);
      if (location && r.headers.get("location") !== location) {
        check.error(`GET ${path} redirected to ${r.headers.get("location")}, expected ${location}`);
      }
    } catch (e) {
      check.error(`GET ${path}: ${errorText(e)}`);
    }
  };
  await expect("/", 200);
  await expect("/privacy/", 200);
  await expect("/privacy", 301, "/privacy/");
  await expect("/static/style.css", 200);
  await expect("/no-such-page/", 404);
  await expect("/%2e%2e/%2e%2e/etc/passwd", 404);
  await expect("/..%2f..%2fetc%2fpasswd", 404);
  check.end(`server: static server on ${origin} (index, redirect, 404, no escape)`);
}

// ---------------------------------------------------------------- helpers

const axeSource = readFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");

function shotName(path) {
  const trimmed = path.replace(/^\/+|\/+$/g, "");
  return trimmed ? trimmed.replace(/\//g, "_") : "home";
}

/// Runs `task(item, workerIndex)` over `items`, `CONCURRENCY` at a time.
async function pool(items, task) {
  let next = 0;
  const worker = async (w) => {
    while (next < items.length) {
      const item = items[next++];
      await task(item, w);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, (_, w) => worker(w)));
}

/// Loads `path`; throws (a harness error) unless the server answers 200.
async function open(page, origin, path) {
  const response = await page.goto(origin + path, { waitUntil: "load" });
  if (!response) throw new Error(`no response for ${path}`);
  if (response.status() !== 200) throw new Error(`${path} answered ${response.status()}`);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/// Polls `probe` until it returns true or `ms` pass; returns its last value.
async function poll(probe, ms = 2000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/// Selector-like description of an element, for reports (runs in the page).
const DESCRIBE = `(el) => {
  const one = (e) => {
    let s = e.localName;
    if (e.id) s += "#" + e.id;
    for (const c of e.classList) s += "." + c;
    return s;
  };
  const parts = [];
  for (let e = el; e && e !== document.documentElement && parts.length < 4; e = e.parentElement) parts.unshift(one(e));
  return parts.join(" > ");
}`;

/// Measures horizontal overflow; lists the widest elements past the right edge
/// that no scrolling or clipping ancestor contains (runs in the page).
const OVERFLOW = `(() => {
  const describe = ${DESCRIBE};
  const root = document.documentElement;
  const cw = root.clientWidth;
  const result = { scrollWidth: root.scrollWidth, clientWidth: cw, offenders: [] };
  if (root.scrollWidth <= cw) return result;
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== root; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible" && a.getBoundingClientRect().right <= cw + 1) return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > cw + 1 && !clipped(el)) wide.push({ el, right: Math.round(r.right) });
  }
  // The widest first, then document order; outermost offenders are the useful ones.
  const outermost = wide.filter((w) => !wide.some((o) => o.el !== w.el && o.el.contains(w.el) && o.right >= w.right));
  outermost.sort((a, b) => b.right - a.right);
  result.offenders = outermost.slice(0, 5).map((w) => describe(w.el) + " (right " + w.right + "px)");
  return result;
})()`;

/// The path of the page that a frame shows, for reports.
function framePath(frame, origin) {
  try {
    const url = frame ? frame.url() : "";
    return url.startsWith(origin) ? new URL(url).pathname : url || "(no page)";
  } catch {
    return "(no page)";
  }
}

/// Watches a page for JS errors and failed requests (findings, one per page
/// and problem whatever the width or scheme).
function watchPage(page, origin, resources) {
  page.on("pageerror", (e) => resources.add(`${framePath(page.mainFrame(), origin)}: JavaScript error: ${errorText(e)}`));
  page.on("response", (r) => {
    if (r.status() >= 400) {
      const from = framePath(r.request().frame(), origin);
      resources.add(`${from}: ${r.status()} for ${r.url().replace(origin, "")}`);
    }
  });
}

async function newContext(browser, origin, resources, options) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT);
  // The theme promises no external requests; none may leave the machine anyway.
  await context.route(
    (url) => url.origin !== origin,
    (route) => {
      const from = framePath(route.request().frame(), origin);
      resources.add(`${from}: request to another origin (blocked): ${route.request().url()}`);
      return route.abort();
    },
  );
  return context;
}

// ---------------------------------------------------------------- checks

/// The probes find what they look for: axe-core reports an image without alt
/// text, the overflow probe a too-wide block (a harness check, not a finding).
async function selfTest(browser) {
  const check = new Check("harness self-test");
  const context = await browser.newContext({ viewport: { width: WIDTHS.mobile, height: HEIGHT } });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  try {
    const page = await context.newPage();
    await page.setContent(
      '<!DOCTYPE html><html lang="en"><head><title>self-test</title></head><body><main>' +
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><div class="too-wide" style="width: 600px">x</div>' +
        '<div style="overflow-x: auto"><div class="scrolled" style="width: 900px">y</div></div></main></body></html>',
    );
    const o = await page.evaluate(OVERFLOW);
    if (!(o.scrollWidth > o.clientWidth && o.offenders.some((x) => x.includes("div.too-wide")))) {
      check.error(`the overflow probe missed a 600px block at 390px: ${JSON.stringify(o)}`);
    }
    if (o.offenders.some((x) => x.includes("div.scrolled"))) {
      check.error(`the overflow probe blamed a block inside a scrolling container: ${JSON.stringify(o)}`);
    }
    await page.addScriptTag({ content: axeSource });
    // eslint-disable-next-line no-undef
    const ids = await page.evaluate(async () => (await axe.run(document)).violations.map((v) => v.id));
    if (!ids.includes("image-alt")) check.error(`axe-core missed an image without alt text: ${JSON.stringify(ids)}`);
  } catch (e) {
    check.error(errorText(e));
  } finally {
    await context.close();
  }
  check.end("harness self-test: axe-core and the overflow probe find planted problems");
  return check.errors.length === 0;
}

/// axe-core on every page in every width and scheme; on the way: overflow at
/// 390 px (light), and the screenshots.
async function screenPass(browser, origin, pages, resources) {
  const axe = new Check("axe-core");
  const overflow = new Check("no horizontal scroll at 390px");
  const unbroken = new Check("version names and dates on one line at 390px");
  let unbrokenSeen = 0;
  const shotsCheck = new Check("screenshots");
  const report = [];
  let shotCount = 0;
  let axeRuns = 0;

  for (const scheme of SCHEMES) {
    for (const [device, width] of Object.entries(WIDTHS)) {
      const context = await newContext(browser, origin, resources, {
        viewport: { width, height: HEIGHT },
        colorScheme: scheme,
      });
      const tabs = [];
      for (let i = 0; i < CONCURRENCY; i++) {
        const tab = await context.newPage();
        watchPage(tab, origin, resources);
        tabs.push(tab);
      }
      await pool(pages, async (path, w) => {
        const page = tabs[w];
        const where = `${path} ${width}px ${scheme}`;
        try {
          await open(page, origin, path);
        } catch (e) {
          axe.error(`${where}: loading the page: ${errorText(e)}`);
          return;
        }
        const prefix = scheme === "dark" ? `dark-${device}` : device;
        if (scheme === "light" || SUBSET.includes(path)) {
          try {
            await page.screenshot({ path: join(shots, `${shotName(path)}--${prefix}.png`), fullPage: true });
            shotCount++;
          } catch (e) {
            shotsCheck.error(`${where}: ${errorText(e)}`);
          }
        }
        if (device === "mobile" && scheme === "light") {
          try {
            // A version name or a date is cited whole: "2025-/03-01" split
            // over two lines cannot be.
            const broken = await page.evaluate(() =>
              [...document.querySelectorAll("main .nowrap, main time, main .redline-compared a")]
                .filter((e) => e.getClientRects().length > 0)
                .map((e) => ({ text: e.textContent, lines: new Set([...e.getClientRects()].map((r) => Math.round(r.top))).size })),
            );
            unbrokenSeen += broken.length;
            for (const b of broken.filter((b) => b.lines > 1)) {
              unbroken.fail(`${path}: "${b.text}" is broken over ${b.lines} lines`);
            }
          } catch (e) {
            unbroken.error(`${where}: ${errorText(e)}`);
          }
          try {
            const o = await page.evaluate(OVERFLOW);
            if (o.scrollWidth > o.clientWidth) {
              overflow.fail(
                `${path}: scrollWidth ${o.scrollWidth} > clientWidth ${o.clientWidth}; widest: ${o.offenders.join("; ") || "(none found)"}`,
              );
            }
          } catch (e) {
            overflow.error(`${where}: ${errorText(e)}`);
          }
        }
        try {
          await page.addScriptTag({ content: axeSource });
          const violations = await page.evaluate(async () => {
            // eslint-disable-next-line no-undef
            const results = await axe.run(document);
            return results.violations.map((v) => ({
              id: v.id,
              impact: v.impact,
              help: v.help,
              nodes: v.nodes.map((n) => ({
                target: n.target.map(String).join(" "),
                summary: (n.failureSummary ?? "").replace(/\s*\n\s*/g, " / "),
              })),
            }));
          });
          axeRuns++;
          for (const v of violations) {
            report.push({ page: path, width, scheme, ...v });
            const first = v.nodes.slice(0, 3);
            axe.fail(
              `${path} ${width}px ${scheme}: ${v.id} (${v.impact}) on ${v.nodes.length} node(s): ` +
                first.map((n) => `[${n.target}] ${n.summary}`).join(" | ") +
                (v.nodes.length > first.length ? ` | ... ${v.nodes.length - first.length} more` : ""),
            );
          }
        } catch (e) {
          axe.error(`${where}: running axe: ${errorText(e)}`);
        }
      });
      await context.close();
    }
  }

  // A summary by rule, for whoever fixes the theme.
  const byRule = new Map();
  for (const r of report) {
    const entry = byRule.get(r.id) ?? { impact: r.impact, help: r.help, where: new Set(), targets: new Set() };
    entry.where.add(`${r.page} ${r.width}/${r.scheme}`);
    for (const n of r.nodes) entry.targets.add(n.target);
    byRule.set(r.id, entry);
  }
  const summary = [...byRule].sort().map(
    ([id, e]) =>
      `  axe summary: ${id} (${e.impact}, "${e.help}"): in ${e.where.size} page/width/scheme runs; targets: ` +
      [...e.targets].slice(0, 8).join(", ") +
      (e.targets.size > 8 ? `, ... ${e.targets.size - 8} more` : ""),
  );
  const combos = Object.keys(WIDTHS).length * SCHEMES.length;
  if (axeRuns !== pages.length * combos) {
    axe.error(`axe ran ${axeRuns} times, expected ${pages.length * combos}`);
  }
  writeFileSync(join(shots, "axe-violations.json"), `${JSON.stringify(report, null, 2)}\n`);
  axe.end(`axe-core: 0 violations on ${pages.length} pages x ${Object.keys(WIDTHS).length} widths x ${SCHEMES.length} schemes`, summary);
  overflow.end(`no horizontal scroll at 390px on ${pages.length} pages`);
  if (unbrokenSeen === 0) unbroken.error("no version name or date found on any page");
  unbroken.end(`version names and dates on one line at 390px (${unbrokenSeen} checked)`);
  return { report, shotCount, shotsCheck };
}

/// Print media: navigation hidden, screenshots; real PDFs with the version
/// and effective date on every printed page.
async function printPass(browser, origin, resources) {
  const hidden = new Check("print hides navigation");
  const pdfCheck = new Check("print: version and date on every PDF page");
  const context = await newContext(browser, origin, resources, { viewport: PRINT_VIEWPORT });
  const page = await context.newPage();
  watchPage(page, origin, resources);
  const pdfs = [];
  let shotCount = 0;
  for (const path of [...new Set([...SUBSET, ...PDF_PAGES])]) {
    try {
      await page.emulateMedia({ media: "screen" });
      await open(page, origin, path);
      const meta = await page.evaluate(() => {
        const text = (s) => document.querySelector(s)?.textContent.trim() ?? null;
        return { version: text(".document-meta .meta-version dd"), date: text(".document-meta .meta-date dd") };
      });
      await page.emulateMedia({ media: "print" });
      const shown = await page.evaluate(() =>
        ["nav.languages", ".skip-link", "nav.toc"].flatMap((s) =>
          [...document.querySelectorAll(s)]
            .map((el, i) => ({ s: `${s}${i ? `[${i}]` : ""}`, display: getComputedStyle(el).display }))
            .filter((x) => x.display !== "none"),
        ),
      );
      for (const x of shown) hidden.fail(`${path}: ${x.s} has display: ${x.display} with print media`);
      if (SUBSET.includes(path)) {
        await page.screenshot({ path: join(shots, `${shotName(path)}--print.png`), fullPage: true });
        shotCount++;
      }
      if (PDF_PAGES.includes(path)) {
        const file = join(shots, `${shotName(path)}.pdf`);
        await page.pdf({
          path: file,
          format: "A4",
          printBackground: false,
          displayHeaderFooter: false,
          preferCSSPageSize: true,
        });
        pdfs.push({ path, file, meta });
      }
    } catch (e) {
      hidden.error(`${path}: ${errorText(e)}`);
    }
  }
  await context.close();

  for (const { path, file, meta } of pdfs) {
    const name = file.slice(shots.length + 1);
    if (!meta.version) pdfCheck.fail(`${path}: no .document-meta .meta-version dd on the page`);
    if (!meta.date) pdfCheck.fail(`${path}: no .document-meta .meta-date dd on the page`);
    let pages;
    try {
      const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
      pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
      if (!pages) throw new Error(`no page count in pdfinfo's output for ${name}`);
    } catch (e) {
      pdfCheck.error(`pdfinfo ${name}: ${errorText(e)}`);
      continue;
    }
    const squash = (s) => s.replace(/\s+/g, "");
    for (let n = 1; n <= pages; n++) {
      let text;
      try {
        text = execFileSync("pdftotext", ["-layout", "-f", String(n), "-l", String(n), file, "-"], { encoding: "utf8" });
      } catch (e) {
        pdfCheck.error(`pdftotext ${name} page ${n}: ${errorText(e)}`);
        continue;
      }
      const missing = [];
      if (meta.version && !squash(text).includes(squash(meta.version))) missing.push(`version "${meta.version}"`);
      if (meta.date && !squash(text).includes(squash(meta.date))) missing.push(`effective date "${meta.date}"`);
      if (missing.length) {
        const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
        const head = lines[0]?.slice(0, 60) ?? "";
        const tail = lines.at(-1)?.slice(0, 60) ?? "";
        pdfCheck.fail(`${name} (${path}) page ${n}/${pages} lacks ${missing.join(" and ")} (first line "${head}", last line "${tail}")`);
      }
    }
  }
  hidden.end(`print media hides nav.languages, .skip-link and nav.toc on ${new Set([...SUBSET, ...PDF_PAGES]).size} pages`);
  pdfCheck.end(`every printed page of ${pdfs.length} PDFs shows the version and the effective date`);
  return shotCount;
}

/// The table of contents and the language switcher, at both widths.
async function navigationPass(browser, origin, resources) {
  const toc = new Check("table of contents");
  const langs = new Check("language switcher");
  for (const [device, width] of Object.entries(WIDTHS)) {
    const context = await newContext(browser, origin, resources, { viewport: { width, height: HEIGHT } });
    const page = await context.newPage();
    watchPage(page, origin, resources);
    const at = `${TOC_PAGE} at ${width}px`;

    // The table of contents.
    try {
      await open(page, origin, TOC_PAGE);
      const nav = page.locator("nav.toc").first();
      if ((await nav.count()) === 0) {
        toc.fail(`${at}: no nav.toc`);
      } else {
        const details = nav.locator("details").first();
        const summary = details.locator("summary").first();
        if ((await details.count()) === 0) {
          toc.fail(`${at}: nav.toc has no <details>`);
        } else if ((await summary.count()) === 0) {
          toc.fail(`${at}: the <details> in nav.toc has no <summary>`);
        } else {
          const isOpen = () => details.evaluate((d) => d.open);
          const initially = await isOpen();
          if (device === "mobile") {
            if (initially !== false) toc.fail(`${at}: the contents start open, expected closed on a phone`);
            if (!initially) {
              try {
                await summary.click({ timeout: 5000 });
                if (!(await poll(isOpen, 1000))) toc.fail(`${at}: clicking the <summary> did not open the contents`);
              } catch (e) {
                toc.fail(`${at}: cannot click the <summary>: ${errorText(e)}`);
              }
            }
          } else if (initially !== true) {
            toc.fail(`${at}: the contents start closed, expected open on a desktop`);
          }
        }
        const link = page.locator('nav.toc a[href^="#"]').first();
        if ((await link.count()) === 0) {
          toc.fail(`${at}: no nav.toc a[href^="#"]`);
        } else if (!(await link.isVisible())) {
          toc.fail(`${at}: the first contents link is not visible (after opening the contents)`);
        } else {
          const href = await link.getAttribute("href");
          try {
            await link.click({ timeout: 5000 });
            const state = () =>
              page.evaluate((want) => {
                const hash = decodeURIComponent(location.hash);
                const target = document.getElementById(decodeURIComponent(want.slice(1)));
                const top = target ? target.getBoundingClientRect().top : null;
                return {
                  hash,
                  found: !!target,
                  top: top === null ? null : Math.round(top),
                  // Sub-pixel tolerance: a target scrolled to the top sits at about 0.
                  inView: top !== null && top > -2 && top < innerHeight,
                  ok: hash === decodeURIComponent(want) && top !== null && top > -2 && top < innerHeight,
                };
              }, href);
            const s = await poll(async () => {
              const v = await state();
              return v.ok ? v : null;
            }, 3000) ?? (await state());
            if (s.hash !== decodeURIComponent(href)) toc.fail(`${at}: clicking ${href} set location.hash to "${s.hash}"`);
            if (!s.found) toc.fail(`${at}: no element with the id of ${href}`);
            else if (!s.inView) toc.fail(`${at}: after clicking ${href} its target's top is at ${s.top}px, outside the viewport`);
          } catch (e) {
            toc.fail(`${at}: cannot click the first contents link ${href}: ${errorText(e)}`);
          }
        }
      }
    } catch (e) {
      toc.error(`${at}: ${errorText(e)}`);
    }

    // The language switcher: 中文 and back.
    const describeSwitcher = async (where) => {
      const info = await page.evaluate(() => {
        const links = [...document.querySelectorAll("nav.languages a[hreflang]")];
        return links.map((a) => ({
          text: a.textContent.trim(),
          lang: a.getAttribute("lang"),
          hreflang: a.getAttribute("hreflang"),
          current: a.getAttribute("aria-current"),
          path: new URL(a.href).pathname,
        }));
      });
      if (info.length < 2) langs.fail(`${where}: ${info.length} nav.languages a[hreflang] link(s), expected at least 2`);
      for (const l of info) if (!l.lang) langs.fail(`${where}: the link "${l.text}" has no lang attribute`);
      const current = info.filter((l) => l.current === "page");
      if (current.length !== 1) {
        langs.fail(`${where}: ${current.length} links with aria-current="page", expected 1`);
      } else {
        const here = await page.evaluate(() => location.pathname);
        if (current[0].path !== here) langs.fail(`${where}: aria-current="page" is on a link to ${current[0].path}`);
      }
    };
    const follow = async (text, from, to, extra) => {
      const where = `${from} at ${width}px`;
      const link = page.locator("nav.languages a[hreflang]").filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) }).first();
      if ((await link.count()) === 0) return langs.fail(`${where}: no language link "${text}"`);
      if (!(await link.isVisible())) return langs.fail(`${where}: the language link "${text}" is not visible`);
      try {
        await link.click({ timeout: 5000 });
      } catch (e) {
        return langs.fail(`${where}: cannot click the language link "${text}": ${errorText(e)}`);
      }
      await page.waitForLoadState("load");
      const landed = await page.evaluate(() => ({
        path: location.pathname,
        lang: document.documentElement.lang,
        version: document.querySelector(".document-meta .meta-version dd")?.textContent.trim() ?? null,
      }));
      if (landed.path !== to) return langs.fail(`${where}: "${text}" led to ${landed.path}, expected ${to}`);
      await extra?.(landed, `${to} at ${width}px`);
      await describeSwitcher(`${to} at ${width}px`);
    };
    try {
      await open(page, origin, LANG_PAGE);
      await describeSwitcher(`${LANG_PAGE} at ${width}px`);
      await follow("中文", LANG_PAGE, LANG_PAGE_ZH, async (landed, where) => {
        if (!landed.lang.startsWith("zh")) langs.fail(`${where}: <html lang="${landed.lang}">, expected zh…`);
        if (landed.version !== "2025-03-01") {
          langs.fail(`${where}: .document-meta .meta-version dd reads ${JSON.stringify(landed.version)}, expected "2025-03-01"`);
        }
      });
      if ((await page.evaluate(() => location.pathname)) === LANG_PAGE_ZH) {
        await follow("English", LANG_PAGE_ZH, LANG_PAGE, async (landed, where) => {
          if (!landed.lang.startsWith("en")) langs.fail(`${where}: <html lang="${landed.lang}">, expected en…`);
        });
      }
    } catch (e) {
      langs.error(`${LANG_PAGE} at ${width}px: ${errorText(e)}`);
    }
    await context.close();
  }
  toc.end(`table of contents on ${TOC_PAGE}: closed at 390px and opens, open at 1280px, links jump to their section`);
  langs.end(`language switcher: lang, one aria-current, 中文 and back on ${LANG_PAGE} at 390px and 1280px`);
}

/// The redline's "show the new text without marks" toggle: it hides every
/// deletion, removed block and hidden label, unmarks insertions, and opens
/// the folded unchanged passages.
async function redlinePass(browser, origin, resources) {
  const check = new Check("redline clean view");
  const path = "/privacy/versions/2026-05-12/changes/";
  let folded = 0;
  const context = await newContext(browser, origin, resources, { viewport: { width: WIDTHS.desktop, height: HEIGHT } });
  const page = await context.newPage();
  watchPage(page, origin, resources);
  try {
    await open(page, origin, path);
    const state = () =>
      page.evaluate(() => {
        const shown = (el) => el.getClientRects().length > 0;
        const all = (sel) => [...document.querySelectorAll(`.redline ${sel}`)];
        return {
          dels: all("del.change").filter(shown).length,
          removed: all(".removed").filter(shown).length,
          labels: all(".change .visually-hidden").filter(shown).length,
          underlined: all("ins.change").filter((e) => getComputedStyle(e).textDecorationLine.includes("underline")).length,
          ins: all("ins.change").length,
          closed: all("details.unchanged:not([open])").length,
        };
      });
    const before = await state();
    folded = before.closed;
    if (before.dels === 0 || before.ins === 0) check.fail(`${path}: expected marks before the toggle, found ${JSON.stringify(before)}`);
    await page.locator("label[for=redline-clean]").click();
    const after = await state();
    if (after.dels || after.removed) check.fail(`${path}: deletions still shown: ${JSON.stringify(after)}`);
    if (after.underlined) check.fail(`${path}: ${after.underlined} insertions still underlined`);
    if (after.closed) check.fail(`${path}: ${after.closed} unchanged passages still folded`);
    if (after.ins !== before.ins) check.fail(`${path}: the inserted text changed`);
  } catch (e) {
    check.error(`${path}: ${errorText(e)}`);
  }
  await context.close();
  check.end(`redline clean view on ${path}: no deletions, no marks, every folded passage open (${folded} folded before)`);
}

// ---------------------------------------------------------------- main

const { dir: out, cleanup } = outputDir();
let browser;
let server;
const serverErrors = [];
try {
  if (!build(out)) throw new Error("stop");

  const pagesCheck = new Check("pages");
  const pages = listPages(out);
  if (pages.length < MIN_PAGES) pagesCheck.fail(`${pages.length} pages in the output, expected at least ${MIN_PAGES}`);
  for (const p of EXPECTED) if (!pages.includes(p)) pagesCheck.fail(`no page ${p} in the output`);
  pagesCheck.end(`pages: ${pages.length} pages, every expected kind present`);

  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });

  const served = await serve(out, serverErrors);
  server = served.server;
  const origin = served.origin;
  await selfCheckServer(origin);

  try {
    browser = await launchChromium();
  } catch (e) {
    const check = new Check("browser");
    check.error(`cannot launch Chromium: ${errorText(e)}`);
    check.end("");
    throw new Error("stop");
  }

  if (!(await selfTest(browser))) throw new Error("stop");

  const resources = new Set();
  const { shotCount, shotsCheck } = await screenPass(browser, origin, pages, resources);
  const printShots = await printPass(browser, origin, resources);
  await navigationPass(browser, origin, resources);
  await redlinePass(browser, origin, resources);

  const resourceCheck = new Check("page errors and requests");
  for (const r of resources) resourceCheck.fail(r);
  resourceCheck.end("page errors and requests: no JavaScript errors, no failed or external requests");

  shotsCheck.end(`screenshots: ${shotCount + printShots} screenshots and ${PDF_PAGES.length} PDFs`);
} catch (e) {
  if (e.message !== "stop") {
    harnessErrors++;
    console.error(`ERROR: harness: ${e.stack ?? e}`);
  }
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) {
    server.closeAllConnections?.();
    await new Promise((r) => server.close(() => r()));
  }
  cleanup();
}
for (const e of serverErrors) {
  harnessErrors++;
  console.error(`ERROR: server: harness error: ${e}`);
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`screenshots and PDFs: ${shots}`);
if (harnessErrors) {
  console.error(`ERROR: theme test: ${harnessErrors} harness error(s), ${findingsTotal} finding(s) (${seconds} s)`);
  process.exitCode = 2;
} else if (findingsTotal) {
  console.error(`FAIL: theme test: ${findingsTotal} finding(s) (${seconds} s)`);
  process.exitCode = 1;
} else {
  console.log(`PASS: theme test (${seconds} s)`);
}
