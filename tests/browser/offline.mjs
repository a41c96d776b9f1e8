// The offline copy (`clause build --offline`) opened from the file system in
// headless Chromium, as someone who unzipped `clause archive` would: the
// home page shows with its stylesheet applied, a link to a document leads to
// its page (an `index.html` file), and from there a link to a version too.
//
// usage: node offline.mjs [path to the clause binary]
// Environment: CHROMIUM (default /usr/bin/chromium).

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launchChromium } from "./chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const clause = resolve(process.argv[2] ?? join(repo, "target", "debug", "clause"));
const work = mkdtempSync(join(tmpdir(), "clause-offline-"));
const out = join(work, "copy");
let failed = 0;

function check(ok, what) {
  console.log(`${ok ? "ok" : "FAIL"}: ${what}`);
  if (!ok) failed += 1;
}

const browser = await launchChromium();
try {
  execFileSync(clause, ["--root", repo, "build", "--offline", "--as-of", "2026-12-01", "--output", out], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const page = await browser.newPage();
  const failedRequests = [];
  page.on("requestfailed", (r) => failedRequests.push(r.url()));
  await page.goto(pathToFileURL(join(out, "index.html")).href);
  // The stylesheet is applied: the theme sets the page's maximum width.
  // (A page from file:// may not read its stylesheet's rules; what they do shows.)
  const styled = await page.evaluate(() => {
    const main = document.querySelector("main");
    return {
      sheets: document.styleSheets.length,
      maxWidth: main ? getComputedStyle(main).maxWidth : "none",
    };
  });
  check(styled.sheets >= 1, `the stylesheet is linked (${styled.sheets})`);
  check(styled.maxWidth !== "none", `the theme's layout applies (main max-width ${styled.maxWidth})`);
  // Follow a link to a document, then one to a version.
  const documentLink = page.locator("main a[href$='index.html']").first();
  check((await documentLink.count()) === 1, "the home page links to documents as index.html files");
  await Promise.all([page.waitForLoadState("load"), documentLink.click()]);
  await page.waitForLoadState("load");
  const url = page.url();
  check(url.startsWith("file://") && url.endsWith("/index.html"), `the link leads to a file: ${url}`);
  check((await page.locator("h1").count()) === 1, "the document page shows its title");
  const versionsLink = page.locator("a[href*='versions/']").first();
  await Promise.all([page.waitForLoadState("load"), versionsLink.click()]);
  await page.waitForLoadState("load");
  check(page.url().includes("/versions/") && page.url().endsWith("index.html"), `a versions link works: ${page.url()}`);
  check(failedRequests.length === 0, `no request failed (${failedRequests.join(", ") || "none"})`);
} catch (e) {
  console.log(`FAIL: ${e.message}`);
  failed += 1;
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
if (failed > 0) {
  console.log(`FAIL: ${failed} offline check(s)`);
  process.exit(1);
}
console.log("PASS: the offline copy works from file:// in headless Chromium");
