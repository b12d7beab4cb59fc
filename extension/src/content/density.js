// Which mentions of a name carry a mark. Readers of Wikipedia's Page Previews and Kindle's X-Ray expect the first
// mention to carry the link; marking every repeat put 15 marks on every 100 words. Loaded terms are not chosen
// here: each use of a loaded word is the author's choice again, so each is marked.
export const DENSITIES = Object.freeze(["section", "article", "every"]);

// A heading is a section of its own, and so is the text under it up to the next heading: a name in a subheading
// and again in the paragraph below are both marked, since a reader may read either without the other.
function sections(blocks) {
  const of = new Map();
  let n = 0;
  let afterHeading = true;
  for (const block of blocks) {
    if (block.heading || afterHeading) n++;
    afterHeading = !!block.heading;
    of.set(block.id, n);
  }
  return of;
}

// mentions: the backend's, in any order; blocks: in reading order, `heading` set on headings.
// -> the mentions to mark: the first of each card per section ("section"), per article ("article"), or all.
export function selectMentions(mentions, blocks, density = "section") {
  if (density === "every") return mentions;
  const order = new Map(blocks.map((block, i) => [block.id, i]));
  const section = density === "section" ? sections(blocks) : new Map();
  const seen = new Set();
  return [...mentions]
    .sort((a, z) => order.get(a.block) - order.get(z.block) || a.start - z.start)
    .filter((m) => {
      // A name whose card is still on its way is known by its pending id until then.
      const key = `${section.get(m.block) ?? 0} ${m.card || m.pending}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
