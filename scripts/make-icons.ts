// Renders the app's PNG icons from src/client/public/icons/icon.svg with Debian's Chromium (the
// one the e2e suite uses): `node --import tsx scripts/make-icons.ts`. The PNGs are committed; run
// this again after changing the SVG.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const dir = join(dirname(fileURLToPath(import.meta.url)), "../src/client/public/icons");
const svg = readFileSync(join(dir, "icon.svg"), "utf8");
const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
try {
  // A maskable icon's launcher may crop to a circle of 80% of its width: the art sits inside it.
  const icons = [
    { file: "icon-192.png", size: 192, scale: 1 },
    { file: "icon-512.png", size: 512, scale: 1 },
    { file: "icon-maskable-512.png", size: 512, scale: 0.8 },
    { file: "apple-touch-icon.png", size: 180, scale: 1 },
  ];
  for (const { file, size, scale } of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const art = Math.round(size * scale);
    await page.setContent(
      `<body style="margin:0;background:#0f3d2e;display:grid;place-items:center;height:${size}px">` +
        `<img src="${src}" width="${art}" height="${art}" style="display:block;${scale < 1 ? "border-radius:50%" : ""}"></body>`,
    );
    await page.waitForFunction(() => document.images[0]?.complete);
    await page.screenshot({ path: join(dir, file) });
    await page.close();
    console.log(`wrote ${file}`);
  }
} finally {
  await browser.close();
}
