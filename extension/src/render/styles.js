// The marks' styles: painted in the page's own tree, and the card's in our shadow root.

export const WRAP_TAG = "reader-context-mark";
// Highlight names live in one registry per document; the prefix keeps them clear of the page's own.
export const HL = { entity: "reader-context-entity", pending: "reader-context-pending", term: "reader-context-term",
  quoted: "reader-context-quoted", active: "reader-context-active" };

// Painted in the page's own tree (highlight pseudo-elements cannot be styled from a shadow root). Colours are
// translucent so they read on light and dark pages alike; entities are subtle, loaded terms distinct, and a name
// whose card is still being looked up quieter still (a grey dotted line) until its card arrives.
export const PAGE_CSS = `
::highlight(${HL.entity}) { background-color: rgba(66, 133, 244, .14); text-decoration: underline dotted rgba(66, 133, 244, .9); }
::highlight(${HL.pending}) { text-decoration: underline dotted rgba(128, 128, 128, .8); }
::highlight(${HL.term}) { background-color: rgba(255, 152, 0, .26); text-decoration: underline wavy rgba(230, 81, 0, .9); }
::highlight(${HL.quoted}) { background-color: rgba(156, 39, 176, .16); text-decoration: underline dashed rgba(123, 31, 162, .9); }
::highlight(${HL.active}) { background-color: rgba(255, 213, 79, .55); }
${WRAP_TAG} { all: unset; display: inline; cursor: help; }
${WRAP_TAG}[data-kind="entity"] { background-color: rgba(66, 133, 244, .14); text-decoration: underline dotted rgba(66, 133, 244, .9); }
${WRAP_TAG}[data-kind="pending"] { text-decoration: underline dotted rgba(128, 128, 128, .8); }
${WRAP_TAG}[data-kind="none"] { cursor: auto; }
${WRAP_TAG}[data-kind="term"] { background-color: rgba(255, 152, 0, .26); text-decoration: underline wavy rgba(230, 81, 0, .9); }
${WRAP_TAG}[data-kind="quoted"] { background-color: rgba(156, 39, 176, .16); text-decoration: underline dashed rgba(123, 31, 162, .9); }
${WRAP_TAG}[data-active] { background-color: rgba(255, 213, 79, .55); }
`;

// Inside our shadow root, so the page's styles cannot reach it and ours cannot leak out.
export const CARD_CSS = `
:host { all: initial; position: fixed; inset: 0 auto auto 0; width: 0; height: 0; z-index: 2147483647; }
.proxy { position: fixed; width: 1px; height: 1px; margin: 0; padding: 0; border: 0; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; background: none; pointer-events: none; }
/* The focused proxy sits exactly over its mark, so the focus ring (and a screen magnifier) is where the word is. */
.proxy:focus { clip-path: none; background: transparent; outline: 3px solid #1a73e8; outline-offset: 2px; border-radius: 3px; }
.card { --bg: #ffffff; --fg: #202122; --muted: #54595d; --rule: #eaecf0; --accent: #3366cc; --term: #b34700; --quote: #7b1fa2;
  position: fixed; box-sizing: border-box; width: min(340px, calc(100vw - 16px)); padding: 14px 16px 12px;
  background: var(--bg); color: var(--fg); border: 1px solid var(--rule); border-radius: 8px;
  box-shadow: 0 4px 18px rgba(0, 0, 0, .18), 0 1px 3px rgba(0, 0, 0, .12);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: left; letter-spacing: normal;
  overflow-wrap: anywhere; }
.card[hidden] { display: none; }
@media (prefers-color-scheme: dark) {
  .card { --bg: #202124; --fg: #e8eaed; --muted: #b0b4ba; --rule: #3c4043; --accent: #8ab4f8; --term: #ffb74d; --quote: #ce93d8;
    box-shadow: 0 4px 18px rgba(0, 0, 0, .6); }
}
/* Motion only for readers who have not asked for less. */
@media (prefers-reduced-motion: no-preference) {
  .card.open { animation: reader-context-in 120ms ease-out; }
}
@keyframes reader-context-in { from { opacity: 0; transform: translateY(-4px); } to { opacity: 1; transform: none; } }
.head { display: flex; gap: 12px; align-items: flex-start; }
.head > div { flex: 1; min-width: 0; }
.thumb { width: 64px; height: 64px; object-fit: cover; border-radius: 4px; flex: none; }
.kicker { margin: 0 0 2px; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card[data-kind="term"] .kicker { color: var(--term); }
.card[data-kind="quoted"] .kicker { color: var(--quote); }
.title { margin: 0; font: 600 17px/1.3 Georgia, "Linux Libertine", serif; }
.desc { margin: 2px 0 0; color: var(--muted); }
.body { margin: 8px 0 0; }
.note { margin: 8px 0 0; color: var(--muted); font-size: 13px; }
.loading { font-style: italic; }
.source { margin: 10px 0 0; padding-top: 8px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 12px;
  display: flex; justify-content: space-between; gap: 8px; }
a { color: var(--accent); text-decoration: none; }
a:hover, a:focus { text-decoration: underline; }
a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; border-radius: 2px; }
`;

// Adopted style sheets need no inline <style>, so a strict style-src CSP (the demo page's) does not block them.
export function adoptStyles(target, css) {
  const doc = target.ownerDocument || target;
  try {
    const sheet = new doc.defaultView.CSSStyleSheet();
    sheet.replaceSync(css);
    target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
    return () => { target.adoptedStyleSheets = target.adoptedStyleSheets.filter((s) => s !== sheet); };
  } catch {
    const style = doc.createElement("style");
    style.textContent = css;
    (target.head || target).append(style);
    return () => style.remove();
  }
}
