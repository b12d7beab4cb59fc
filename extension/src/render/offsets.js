// Offsets between the text the backend reads and the live text nodes it came from.

// Builds a block from live text nodes: collapses white space the way the browser renders it (so the backend reads
// prose, not indentation) and remembers, for every character sent, the text node and offset it came from.
export function mapBlock(id, textNodes) {
  let text = "";
  const nodeOf = [];
  const offsetOf = [];
  let space = true; // drop leading white space
  textNodes.forEach((node, n) => {
    const data = node.data;
    for (let i = 0; i < data.length; i++) {
      const c = data.charCodeAt(i);
      if (c === 32 || c === 10 || c === 9 || c === 13 || c === 12) {
        if (space) continue;
        space = true;
        text += " ";
      } else {
        space = false;
        text += data[i];
      }
      nodeOf.push(n);
      offsetOf.push(i);
    }
  });
  if (text.endsWith(" ")) { text = text.slice(0, -1); nodeOf.pop(); offsetOf.pop(); }
  return { id, text, nodes: textNodes, data: textNodes.map((node) => node.data), nodeOf: Int32Array.from(nodeOf),
    offsetOf: Int32Array.from(offsetOf) };
}

// The API counts code points; JavaScript strings count UTF-16 units. Only text with astral characters differs.
export function unitIndex(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (cp) => cp;
  const units = [];
  let u = 0;
  for (const ch of text) { units.push(u); u += ch.length; }
  units.push(u);
  return (cp) => units[Math.min(cp, units.length - 1)];
}

// Places marks ({kind, item: {block, start, end} in the API's code points}, and whatever else) on the live text:
// each gets `pieces` (a text node and the span in it, per node it crosses), `range`, and its reading `order`.
// Items whose block is gone, whose span is empty, or whose text nodes changed since they were read are left out:
// a mark on the wrong words is worse than none (the host re-reads the page and draws again). One per span.
export function placeAll(blocks, marks) {
  const byId = new Map(blocks.map((b, i) => [b.id, { block: b, order: i, unit: unitIndex(b.text) }]));
  const seen = new Set();
  const placed = [];
  for (const mark of marks) {
    const { item } = mark;
    const at = byId.get(item.block);
    const key = `${mark.kind} ${item.block} ${item.start} ${item.end}`;
    if (!at || seen.has(key)) continue;
    seen.add(key);
    const b = at.block;
    const start = at.unit(item.start);
    const end = at.unit(item.end);
    if (!(end > start && end <= b.text.length)) continue;
    const first = b.nodeOf[start];
    const last = b.nodeOf[end - 1];
    const pieces = [];
    for (let n = first; n <= last; n++) {
      pieces.push({ node: b.nodes[n], start: n === first ? b.offsetOf[start] : 0,
        end: n === last ? b.offsetOf[end - 1] + 1 : b.nodes[n].length });
    }
    if (pieces.some((p, i) => !p.node.isConnected || p.node.data !== b.data[first + i])) continue;
    placed.push({ ...mark, order: at.order, start, pieces, range: { startContainer: pieces[0].node,
      startOffset: pieces[0].start, endContainer: pieces[pieces.length - 1].node, endOffset: pieces[pieces.length - 1].end } });
  }
  return placed.sort((a, z) => a.order - z.order || a.start - z.start);
}
