// Drawing marks over live text, and finding the mark under the pointer. The CSS Custom Highlight API paints them
// without touching the DOM; where it is missing, text is wrapped in inert elements and unwrapped exactly.
import { HL, WRAP_TAG } from "./styles.js";

const STYLES = ["entity", "pending", "term", "quoted"];

// A live Range over a mark (its `range` holds the boundary points).
export function rangeOf(mark) {
  const range = mark.range.startContainer.ownerDocument.createRange();
  range.setStart(mark.range.startContainer, mark.range.startOffset);
  range.setEnd(mark.range.endContainer, mark.range.endOffset);
  return range;
}

// `wrap: true` forces the fallback, which is what browsers without CSS.highlights get.
export function createHighlights(doc, { wrap } = {}) {
  const win = doc.defaultView;
  const useHighlights = !wrap && typeof win.Highlight === "function" && !!win.CSS?.highlights;
  let drawn = [];
  let byNode = new Map(); // text node -> [{mark, start, end}] for hit-testing the pointer
  let splits = new Map(); // fallback only: original text node -> {data, added} to undo the wrapping exactly

  // Draws the marks (in reading order) and returns those drawn: the fallback leaves overlapping ones out.
  function draw(marks) {
    drawn = marks;
    if (useHighlights) paintHighlights(marks); else drawn = wrapPieces(marks);
    byNode = new Map();
    for (const mark of drawn) for (const p of mark.pieces) {
      const list = byNode.get(p.node);
      if (list) list.push({ mark, start: p.start, end: p.end }); else byNode.set(p.node, [{ mark, start: p.start, end: p.end }]);
    }
    return drawn;
  }

  function paintHighlights(marks) {
    const groups = Object.fromEntries(STYLES.map((style) => [style, []]));
    for (const mark of marks) groups[mark.style].push(mark.painted = new win.StaticRange(mark.range));
    for (const [style, ranges] of Object.entries(groups)) {
      const highlight = new win.Highlight(...ranges);
      highlight.priority = style === "term" || style === "quoted" ? 1 : 0; // a loaded word inside a name shows as loaded
      win.CSS.highlights.set(HL[style], highlight);
    }
  }

  // A drawn mark changes style (a late card arrived), or with `null` is no longer a mark; the text stays as it is.
  function restyle(mark, style) {
    if (useHighlights) {
      win.CSS.highlights.get(HL[mark.style])?.delete(mark.painted);
      if (style) win.CSS.highlights.get(HL[style])?.add(mark.painted);
    } else {
      // An inert wrapper without a style is no mark; unwrapping it now would split the undo record of clear().
      for (const p of mark.pieces) p.wrapper.dataset.kind = style || "none";
    }
    mark.style = style;
    if (!style) for (const p of mark.pieces) byNode.set(p.node, byNode.get(p.node).filter((at) => at.mark !== mark));
  }

  // Fallback: wrap each piece of text in an inert element. Pieces of one text node are split from its end
  // backwards, so the offsets of the pieces still to do stay valid; overlapping marks are left to the first.
  function wrapPieces(marks) {
    const all = [];
    const kept = marks.filter((mark) => {
      const clash = mark.pieces.some((p) => (byNode.get(p.node) || []).some((q) => p.start < q.end && q.start < p.end));
      if (clash) return false;
      for (const p of mark.pieces) {
        const list = byNode.get(p.node) || [];
        list.push(p);
        byNode.set(p.node, list);
        all.push({ mark, piece: p });
      }
      return true;
    });
    byNode = new Map();
    all.reverse(); // marks come in reading order, so this is each text node's pieces from its end backwards
    for (const { mark, piece } of all) {
      const node = piece.node;
      if (!splits.has(node)) splits.set(node, { data: node.data, added: [] });
      const record = splits.get(node);
      const middle = node.splitText(piece.start);
      const tail = middle.splitText(piece.end - piece.start);
      const wrapper = doc.createElement(WRAP_TAG);
      wrapper.dataset.kind = mark.style;
      middle.before(wrapper);
      wrapper.append(middle);
      record.added.push(wrapper, tail);
      piece.node = middle;
      piece.start = 0;
      piece.end = middle.length;
      piece.wrapper = wrapper;
    }
    for (const mark of kept) {
      const first = mark.pieces[0];
      const lastPiece = mark.pieces[mark.pieces.length - 1];
      mark.range = { startContainer: first.node, startOffset: 0, endContainer: lastPiece.node, endOffset: lastPiece.end };
    }
    return kept;
  }

  function erase() {
    drawn = [];
    byNode = new Map();
    if (useHighlights) for (const name of Object.values(HL)) win.CSS.highlights.delete(name);
    for (const [node, { data, added }] of splits) {
      for (const n of added) n.remove();
      node.data = data;
    }
    splits = new Map();
  }

  function setActive(mark) {
    if (useHighlights) {
      if (mark) win.CSS.highlights.set(HL.active, new win.Highlight(new win.StaticRange(mark.range)));
      else win.CSS.highlights.delete(HL.active);
    } else {
      for (const m of drawn) for (const p of m.pieces) p.wrapper?.toggleAttribute("data-active", m === mark);
    }
  }

  // The mark under the pointer: the caret position names a text node and offset, and the mark's own line boxes
  // confirm the pointer is on the glyphs (past the end of a line the caret still snaps to the nearest word).
  function markAt(x, y) {
    const pos = doc.caretPositionFromPoint ? doc.caretPositionFromPoint(x, y) : null;
    const node = pos ? pos.offsetNode : doc.caretRangeFromPoint?.(x, y)?.startContainer;
    const offset = pos ? pos.offset : doc.caretRangeFromPoint?.(x, y)?.startOffset;
    const here = byNode.get(node);
    if (!here) return null;
    let best = null;
    for (const { mark, start, end } of here) {
      if (offset < start || offset > end) continue;
      for (const rect of rangeOf(mark).getClientRects()) {
        if (x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) {
          if (!best || mark.item.end - mark.item.start < best.mark.item.end - best.mark.item.start) best = { mark, rect };
        }
      }
    }
    return best;
  }

  // `wraps`: the fallback is drawn into the page's own text nodes, so a host must erase it before reading them.
  return { draw, erase, restyle, setActive, markAt, wraps: !useHighlights };
}
