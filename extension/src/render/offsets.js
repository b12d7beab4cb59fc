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
