// End-to-end test of `clause serve` in a real browser (headless Chromium):
// open a page, edit its Markdown and see the new text appear without a
// manual reload; break the file and see the error overlay; fix it and see
// the overlay go.
//
// usage: node live_reload.mjs [path to the clause binary]
// Environment: CHROMIUM (default /usr/bin/chromium).

import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const clause = resolve(process.argv[2] ?? join(repo, "target", "debug", "clause"));
const bound = 30_000;

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
}

/// Resolves with the first stderr line that matches, within `bound`.
function waitForLine(lines, pattern, what) {
  return new Promise((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${bound} ms`)), bound);
    const check = () => {
      const found = lines.find((l) => pattern.test(l));
      if (found) {
        clearTimeout(timer);
        resolveLine(found);
        return true;
      }
      return false;
    };
    if (!check()) lines.onLine = check;
  });
}

/// Polls `probe` (an async function returning a truthy value when done).
async function until(probe, what) {
  const deadline = Date.now() + bound;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // The page may be reloading; try again.
    }
    if (Date.now() > deadline) fail(`${what} within ${bound} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const work = mkdtempSync(join(tmpdir(), "clause-browser-"));
const site = join(work, "site");
cpSync(join(repo, "tests", "fixtures", "serve"), site, { recursive: true });
const file = join(site, "content", "terms", "1.en.md");
const good = readFileSync(file, "utf8");

const server = spawn(clause, ["serve", "--as-of", "2026-06-01", "--port", "0"], { cwd: site });
const lines = [];
let buffer = "";
server.stderr.on("data", (chunk) => {
  buffer += chunk.toString();
  let newline;
  while ((newline = buffer.indexOf("\n")) >= 0) {
    const line = buffer.slice(0, newline);
    buffer = buffer.slice(newline + 1);
    lines.push(line);
    console.log(`  clause: ${line}`);
    if (lines.onLine && lines.onLine()) lines.onLine = null;
  }
});

let browser;
try {
  const serving = await waitForLine(lines, /^clause: serving http:\/\//, "`serving` line");
  const url = serving.split(" ")[2];
  await waitForLine(lines, /watching for changes/, "first build");

  browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(`${url}terms/`);
  const body = () => page.locator(".document-body").innerText();
  if (!(await body()).includes("Hello.")) fail("the page does not show the text");
  console.log("ok: the page shows the text");

  // 1. An edit appears without a manual reload.
  writeFileSync(file, good.replace("Hello.", "Hello from the browser test."));
  await until(async () => (await body()).includes("Hello from the browser test."), "the edit did not appear");
  console.log("ok: the edit appeared without a manual reload");

  // 2. A broken save shows the overlay with the error line.
  writeFileSync(file, "---\ntitle: broken\n");
  const overlay = page.locator("#clause-error-overlay");
  await until(
    async () =>
      (await overlay.isVisible()) &&
      (await overlay.innerText()).includes("content/terms/1.en.md:1:1: error: the front matter opened on this line is never closed"),
    "the error overlay did not appear",
  );
  if (!(await body()).includes("Hello from the browser test.")) fail("the last good page is gone");
  console.log("ok: the overlay shows the error over the last good page");

  // 3. The fix removes the overlay and shows the new text.
  writeFileSync(file, good.replace("Hello.", "Fixed again."));
  await until(
    async () => (await overlay.count()) === 0 && (await body()).includes("Fixed again."),
    "the overlay did not go away after the fix",
  );
  console.log("ok: the fix removed the overlay");
  await page.screenshot({ path: join(work, "after-fix.png") });
} finally {
  if (browser) await browser.close();
  server.kill("SIGINT");
  const code = await new Promise((r) => server.on("exit", (c) => r(c)));
  if (code !== 0) {
    console.error(`FAIL: clause serve exited with ${code} after SIGINT`);
    process.exitCode = 1;
  }
  rmSync(work, { recursive: true, force: true });
}
if (!process.exitCode) console.log("PASS: live reload in headless Chromium");
