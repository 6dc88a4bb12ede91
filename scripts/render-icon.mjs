// Renders resources/packaging/icon.svg to icon.png (1024x1024, transparent corners)
// with Chromium, the PNG electron-builder turns into .ico, .icns and Linux's sizes.
// `npm run icon`; CHROMIUM_PATH overrides the browser (default /usr/bin/chromium).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const dir = path.resolve(import.meta.dirname, '../resources/packaging');
const svg = fs.readFileSync(path.join(dir, 'icon.svg'), 'utf8');
const SIZE = 1024;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`,
  );
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  fs.writeFileSync(path.join(dir, 'icon.png'), png);
  console.log(`resources/packaging/icon.png: ${png.length} bytes`);
} finally {
  await browser.close();
}
