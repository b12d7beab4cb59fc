// What the reader does on the page, turned into the preview's events: the pointer over marks (hit-tested once a
// frame), Escape, and scrolling, which moves an open card (and a focused mark's proxy) along with its words.
import { rangeOf } from "./highlights.js";

// -> { mousemove, keydown, scroll, quiet }: the document-wide handlers; `quiet` is true while focus is moved back
// to a mark by Escape, which must not reopen its card.
export function createInput(doc, { preview, paint, surface, hasMarks, moved }) {
  const win = doc.defaultView;
  let pointer = null;
  let frame = 0;
  const input = { quiet: false };

  input.mousemove = (event) => {
    pointer = event;
    if (frame) return;
    frame = win.requestAnimationFrame(() => {
      frame = 0;
      if (surface.isOurs(pointer.target)) return; // inside the card: its own enter/leave handle the grace period
      const hit = hasMarks() ? paint.markAt(pointer.clientX, pointer.clientY) : null;
      preview.pointerAt(hit?.mark || null, hit?.rect);
    });
  };

  // Escape closes the card; if focus was inside the card it returns to the mark, without reopening the card.
  input.keydown = (event) => {
    const mark = preview.open;
    if (event.key !== "Escape" || !mark) return;
    const inCard = surface.cardHasFocus();
    preview.close();
    if (inCard && mark.proxy) {
      input.quiet = true;
      mark.proxy.focus({ preventScroll: true });
      input.quiet = false;
    }
    event.stopPropagation();
  };

  input.scroll = () => {
    const mark = preview.open;
    if (!mark) return;
    const rect = rangeOf(mark).getClientRects()[0];
    if (preview.openedBy === "focus" && mark.proxy) surface.placeProxy(mark.proxy, rect);
    if (rect) moved(rect);
  };

  return input;
}
