#!/usr/bin/env node
// Regenerate kernel/logo-32x32.png and kernel/logo-64x64.png (the kernelspec's logos) from an SVG:
// `node kernel/make-logos.mjs`. The PNGs are committed; run this only to change the design.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const sharp = createRequire(path.join(here, '..', 'package.json'))('sharp');

// A TypeScript-blue tile with a 2x2 "image grid" (generator samples) and the letters "gk".
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
  <rect x="0" y="0" width="64" height="64" rx="10" fill="#3178c6"/>
  <rect x="7" y="7" width="11" height="11" rx="2" fill="#ffffff"/>
  <rect x="20" y="7" width="11" height="11" rx="2" fill="#ffd43b"/>
  <rect x="7" y="20" width="11" height="11" rx="2" fill="#ffd43b"/>
  <rect x="20" y="20" width="11" height="11" rx="2" fill="#ffffff" fill-opacity="0.6"/>
  <text x="58" y="57" text-anchor="end" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"
        font-weight="bold" font-size="27" fill="#ffffff">gk</text>
</svg>`;

for (const size of [32, 64]) {
  const out = path.join(here, `logo-${size}x${size}.png`);
  await sharp(Buffer.from(svg), { density: 72 * (size / 64) * 4 }).resize(size, size).png({ compressionLevel: 9 }).toFile(out);
  console.log('wrote', out);
}
