/**
 * Text that gankit draws into PNG fallbacks (plot titles, legends, axis labels; sharp renders the SVG
 * with librsvg, Pango and fontconfig): the font list, CJK-aware text widths, and a one-time warning
 * when Chinese, Japanese or Korean text needs a font that is not installed (it would show as boxes).
 */
import { execFileSync } from 'node:child_process';

/**
 * SVG font-family for chart text: Latin fonts, then CJK fonts (Simplified Chinese first, so that Han
 * characters take Chinese glyph forms), then sans-serif. Fontconfig picks, character by character, the
 * first font in the list that has it, else any installed font that has it.
 */
export const SVG_FONT_FAMILY =
  "DejaVu Sans, Liberation Sans, Arial, 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', " +
  "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK JP', 'Noto Sans CJK KR', sans-serif";

/** Fontconfig language of each CJK script, with the name used in messages. */
const SCRIPTS: { re: RegExp; lang: string; name: string }[] = [
  { re: /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u, lang: 'zh', name: 'Chinese' },
  { re: /[\p{Script=Hiragana}\p{Script=Katakana}]/u, lang: 'ja', name: 'Japanese' },
  { re: /\p{Script=Hangul}/u, lang: 'ko', name: 'Korean' },
];

/** East Asian wide and fullwidth characters (CJK, kana, Hangul, fullwidth forms): about 1 em wide. */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/** Width of `s` in Latin-character units (a wide CJK character counts 1.7, about 1 em against 0.6 em). */
export function textColumns(s: string): number {
  let n = 0;
  for (const ch of s) n += WIDE.test(ch) ? 1.7 : 1;
  return n;
}

/** `s` cut to at most `max` columns (see textColumns), with an ellipsis when cut. */
export function fitColumns(s: string, max: number): string {
  if (textColumns(s) <= max) return s;
  let out = '';
  let n = 1; // the ellipsis
  for (const ch of s) {
    const w = WIDE.test(ch) ? 1.7 : 1;
    if (n + w > max) break;
    out += ch;
    n += w;
  }
  return out + '…';
}

/** The fontconfig languages ('zh', 'ja', 'ko') whose fonts `text` needs; empty without CJK characters. */
export function cjkLanguages(text: string): string[] {
  return SCRIPTS.filter((s) => s.re.test(text)).map((s) => s.lang);
}

const fontKnown = new Map<string, { found: boolean | null; why: string }>();

/** Whether fontconfig lists a font for `lang` (`fc-list :lang=<lang>`), cached; found is null when fc-list cannot run. */
export function fontFor(lang: string): { found: boolean | null; why: string } {
  let r = fontKnown.get(lang);
  if (!r) {
    try {
      const out = execFileSync('fc-list', [`:lang=${lang}`, 'family'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
      const families = out.split('\n').map((l) => l.split(',')[0]!.trim()).filter(Boolean);
      r = { found: families.length > 0, why: families.length > 0 ? families[0]! : `fc-list :lang=${lang} lists no font` };
    } catch (e) {
      r = { found: null, why: `fc-list did not run: ${(e as Error).message.split('\n')[0]}` };
    }
    fontKnown.set(lang, r);
  }
  return r;
}

const warned = new Set<string>();

/**
 * Warn once per process and language (console.warn, shown under the cell) when `texts`, about to be
 * drawn into a PNG, hold CJK characters and no installed font covers them: the PNG would show boxes.
 */
export function warnMissingCjkFonts(texts: readonly (string | undefined)[]): void {
  const langs = new Set(texts.flatMap((t) => (t ? cjkLanguages(t) : [])));
  for (const lang of langs) {
    if (warned.has(lang)) continue;
    const { found, why } = fontFor(lang);
    if (found) continue;
    warned.add(lang);
    const name = SCRIPTS.find((s) => s.lang === lang)!.name;
    console.warn(
      `gankit: ${found === null ? `could not check for a ${name} font (${why})` : `no ${name} font is installed (${why})`}, ` +
      `so ${name} characters in the PNG fallback of plots (titles, legends, axis labels) may show as boxes; ` +
      'the JupyterLab view uses the browser\'s fonts and is not affected. Install a CJK font, e.g. on Debian or Ubuntu ' +
      '`sudo apt-get install fonts-noto-cjk` (scripts/setup.sh installs fonts-wqy-microhei), then restart the kernel.',
    );
  }
}
