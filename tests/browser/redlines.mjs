// Redlines of the hard cases in headless Chromium: builds the `redlines`
// fixture (tables whose rows move between sections and whose columns come
// and go, raw HTML, nested lists, a deleted footnote, passages folded before
// changed headings) into OUT, checks what a reader sees, and writes
// full-page screenshots at 1280 px and 390 px to
// tests/browser/screenshots/redline-*.png to be looked at.
//
// usage: node redlines.mjs CLAUSE_BINARY OUT
// Prints `PASS: ...` / `FAIL: ...` lines; exit 1 for findings, 2 for errors of
// the harness. run.sh then runs the Nu HTML Checker over OUT.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [clause, outArg] = process.argv.slice(2);
if (!clause || !outArg) {
  console.error("ERROR: harness: usage: node redlines.mjs CLAUSE_BINARY OUT");
  process.exit(2);
}
const out = resolve(outArg);
const shots = join(here, "screenshots");
mkdirSync(shots, { recursive: true });

const run = spawnSync(
  clause,
  ["--root", join(here, "../fixtures/redlines"), "build", "--output", out, "--as-of", "2026-06-01"],
  { encoding: "utf8" },
);
if (run.status !== 0) {
  console.error(`ERROR: harness: clause build exited with ${run.status}: ${run.stderr}`);
  process.exit(2);
}

// Serve the built site (its links are site-absolute).
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".png": "image/png", ".js": "text/javascript" };
const server = createServer(async (req, res) => {
  let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (path.endsWith("/")) path += "index.html";
  try {
    const body = await readFile(join(out, path));
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;

const findings = [];
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const pages = {
    "redline-moved-rows": "/hard/versions/2026-06-01/changes/",
    "redline-deleted-footnote": "/hard/versions/2026-01-01/changes/",
  };
  for (const [name, path] of Object.entries(pages)) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(base + path);
      // Open the folded passages, as a reader checking them would.
      await page.evaluate(() => document.querySelectorAll("details.unchanged").forEach((d) => (d.open = true)));
      await page.screenshot({ path: join(shots, `${name}--${width}.png`), fullPage: true });
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (scroll > 0) findings.push(`${path} at ${width}px scrolls sideways by ${scroll}px`);
    }
  }

  // A moved row's note is seen in its row's last cell, on the same line as
  // the row, in both places.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(base + pages["redline-moved-rows"]);
  const notes = await page.$$eval(".redline .moved", (els) =>
    els.map((el) => {
      const cell = el.closest("td, th");
      const row = el.closest("tr");
      const box = el.getBoundingClientRect();
      const rowBox = row?.getBoundingClientRect();
      return {
        text: el.textContent,
        inLastCell: !!cell && cell === row.lastElementChild,
        visible: box.width > 0 && box.height > 0,
        inRow: !!rowBox && box.top >= rowBox.top - 1 && box.bottom <= rowBox.bottom + 1,
      };
    }),
  );
  const expected = ["(moved to “Contact”)", "(moved from “Keeping data”)"];
  if (JSON.stringify(notes.map((n) => n.text)) !== JSON.stringify(expected)) {
    findings.push(`move notes: ${JSON.stringify(notes.map((n) => n.text))}, expected ${JSON.stringify(expected)}`);
  }
  for (const n of notes) {
    if (!(n.inLastCell && n.visible && n.inRow)) findings.push(`move note ${n.text} misplaced: ${JSON.stringify(n)}`);
  }
  // The clean view hides the notes and the rows that moved away.
  await page.check("#redline-clean");
  const shown = await page.$$eval(".redline .moved, .redline tr.moved-from", (els) =>
    els.filter((el) => el.getClientRects().length > 0).length,
  );
  if (shown > 0) findings.push(`clean view still shows ${shown} move notes or moved-away rows`);

  // The deleted footnote is shown struck, with the id its reference uses.
  await page.goto(base + pages["redline-deleted-footnote"]);
  const note = await page.$eval("#fn-logs", (el) => ({
    removed: el.classList.contains("removed"),
    struck: getComputedStyle(el.querySelector("del")).textDecorationLine.includes("line-through"),
  }));
  if (!note.removed || !note.struck) findings.push(`deleted footnote: ${JSON.stringify(note)}`);
} catch (e) {
  console.error(`ERROR: harness: ${String(e?.message ?? e).split("\n")[0]}`);
  await browser.close();
  server.close();
  process.exit(2);
}
await browser.close();
server.close();

for (const f of findings) console.error(`FAIL: redlines: ${f}`);
if (findings.length === 0) {
  console.log(`PASS: redlines: move notes, clean view and deleted footnote; screenshots in ${shots}/redline-*.png`);
}
process.exit(findings.length ? 1 : 0);
