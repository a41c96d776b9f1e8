// Starts Debian's Chromium (or $CHROMIUM) headless for the browser tests.
// This machine's network is closed: without the background-networking
// flags, Chromium keeps trying to reach Google's hosts.
import { chromium } from "playwright-core";

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
      "--disable-quic",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
