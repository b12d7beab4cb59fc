// Our own element on the page: a shadow root outside <body> holding the card and one visually hidden button per
// mark (keyboard and screen-reader users reach marks through them, in reading order), and where the card sits.
import { CARD_CSS, PAGE_CSS, adoptStyles } from "./styles.js";
import { el } from "./card.js";

const HOST_TAG = "reader-context-marks";

// preview: the state machine the card's own pointer and focus events go to.
export function createSurface(doc, preview) {
  const win = doc.defaultView;
  let listen = null;
  let host = null;
  let root = null;
  let card = null;
  let removePageStyles = null;

  const isOurs = (node) => !!node && (node === host || root?.contains(node));

  // listen: {mousemove, keydown, scroll}, the document-wide handlers, attached while we are on the page.
  function ensure(handlers) {
    if (host?.isConnected) return;
    listen = handlers;
    host = el(doc, HOST_TAG);
    root = host.attachShadow({ mode: "open" });
    adoptStyles(root, CARD_CSS);
    card = el(doc, "div", "card");
    card.id = "card";
    card.hidden = true;
    card.setAttribute("role", "tooltip");
    card.addEventListener("mouseenter", preview.cardEnter);
    card.addEventListener("mouseleave", preview.cardLeave);
    card.addEventListener("focusin", preview.cardFocused);
    card.addEventListener("focusout", (e) => { if (!isOurs(e.relatedTarget)) preview.close(); });
    root.append(card);
    // Outside <body>, so the article's text and its layout stay exactly as they were.
    doc.documentElement.append(host);
    removePageStyles ||= adoptStyles(doc, PAGE_CSS);
    doc.addEventListener("mousemove", listen.mousemove, { passive: true });
    doc.addEventListener("keydown", listen.keydown, true);
    win.addEventListener("scroll", listen.scroll, { passive: true, capture: true });
    win.addEventListener("resize", listen.scroll, { passive: true });
  }

  function remove() {
    if (!listen) return;
    host?.remove();
    host = null;
    removePageStyles?.();
    removePageStyles = null;
    doc.removeEventListener("mousemove", listen.mousemove);
    doc.removeEventListener("keydown", listen.keydown, true);
    win.removeEventListener("scroll", listen.scroll, true);
    win.removeEventListener("resize", listen.scroll);
    listen = null;
  }

  // A proxy button for a mark, focusable in reading order; its label is what a screen reader says.
  function proxy(text) {
    const button = el(doc, "button", "proxy");
    button.type = "button";
    button.setAttribute("aria-label", text);
    button.setAttribute("aria-describedby", "card");
    return button;
  }

  // Shows the card (filled by `fill(card)`) under the anchor rectangle; `again`: the same card with new content,
  // which must not replay the entrance animation or move.
  function show(fill, anchor, again = false) {
    fill(card);
    card.hidden = false;
    if (!again) {
      card.classList.remove("open");
      void card.offsetWidth; // restart the entrance animation for a new card
      card.classList.add("open");
    }
    place(anchor);
  }

  function hide() {
    if (card) { card.hidden = true; card.classList.remove("open"); root.append(card); }
  }

  // Under the anchor (the line the pointer is on), or above it when there is no room below.
  function place(rect) {
    if (!rect) return;
    const vw = doc.documentElement.clientWidth;
    const vh = doc.documentElement.clientHeight;
    const { width, height } = card.getBoundingClientRect();
    const left = Math.max(8, Math.min(rect.left, vw - width - 8));
    const below = rect.bottom + 8;
    const top = below + height <= vh - 8 || rect.top - height - 8 < 8 ? below : rect.top - height - 8;
    card.style.left = `${left}px`;
    card.style.top = `${top}px`;
  }

  // The focused proxy sits over its mark, so the focus ring (and a screen magnifier) is where the words are.
  function placeProxy(button, rect) {
    if (rect) Object.assign(button.style, { left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`,
      height: `${rect.height}px` });
  }

  return {
    ensure, remove, isOurs, proxy, show, hide, place, placeProxy,
    addProxies: (fragment) => root.insertBefore(fragment, card),
    // Tab from a focused mark goes into its card (its "Read more") before the next mark.
    cardAfter: (button) => button.after(card),
    focusCard() { card.tabIndex = -1; card.focus({ preventScroll: true }); },
    cardHasFocus: () => !!card && card.contains(root.activeElement),
  };
}
