// Draws the app's logos (assets/logo.png 320x320, assets/logo-small.png 128x128): a white card with a
// dark stripe on a navy square, and a green check badge. Anti-aliased by 4x4 supersampling.
// Run: node --import tsx zendesk-app/scripts/logos.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { encodePng } from "./png";

type RGB = [number, number, number];
const NAVY_TOP: RGB = [14, 42, 71];
const NAVY_BOTTOM: RGB = [23, 73, 120];
const WHITE: RGB = [255, 255, 255];
const STRIPE: RGB = [31, 52, 82];
const CHIP: RGB = [232, 196, 104];
const GREEN: RGB = [25, 190, 150];

const inRoundedRect = (x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};

function distanceToSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

/** The colour at (x, y) in unit coordinates, top layer wins. */
function paint(x: number, y: number): RGB {
  const badge = Math.hypot(x - 0.74, y - 0.7);
  if (badge <= 0.15) {
    const check = Math.min(distanceToSegment(x, y, 0.665, 0.7, 0.72, 0.755), distanceToSegment(x, y, 0.72, 0.755, 0.815, 0.645));
    return check <= 0.022 ? WHITE : GREEN;
  }
  if (badge <= 0.175) return NAVY_BOTTOM; // a ring that separates the badge from the card
  if (inRoundedRect(x, y, 0.14, 0.25, 0.86, 0.71, 0.06)) {
    if (y >= 0.33 && y <= 0.42) return STRIPE;
    if (inRoundedRect(x, y, 0.21, 0.5, 0.33, 0.6, 0.02)) return CHIP;
    return WHITE;
  }
  const t = y;
  return [0, 1, 2].map((i) => Math.round(NAVY_TOP[i] + (NAVY_BOTTOM[i] - NAVY_TOP[i]) * t)) as RGB;
}

export function drawLogo(size: number): Buffer {
  const samples = 4;
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = paint((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          for (let i = 0; i < 3; i++) sum[i] += c[i];
        }
      }
      const o = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) rgba[o + i] = Math.round(sum[i] / samples ** 2);
      rgba[o + 3] = 255;
    }
  }
  return encodePng(size, size, rgba);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const assets = (name: string) => fileURLToPath(new URL(`../assets/${name}`, import.meta.url));
  writeFileSync(assets("logo.png"), drawLogo(320));
  writeFileSync(assets("logo-small.png"), drawLogo(128));
  console.log("wrote zendesk-app/assets/logo.png and logo-small.png");
}
