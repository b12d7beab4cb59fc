"use strict";
// Every string from the server is inserted with textContent, never as HTML.
(function () {
  const form = document.getElementById("form");
  const status = document.getElementById("status");
  const article = document.getElementById("article");
  const details = document.getElementById("details");
  const summary = document.getElementById("summary");
  let current = null;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function showCard(card) {
    details.replaceChildren(el("h3", card.title));
    if (card.description) details.append(el("p", card.description, "meta"));
    if (card.summary) details.append(el("p", card.summary));
    if (card.in_article && card.in_article.length) details.append(el("p", "In this article: " + card.in_article.join("; "), "meta"));
    const source = el("p", card.attribution || card.source, "meta");
    if (card.url && /^https?:\/\//.test(card.url)) {
      const a = el("a", " Read more");
      a.href = card.url; a.rel = "noopener noreferrer"; a.target = "_blank";
      source.append(a);
    }
    details.append(source);
  }

  function showTerm(term) {
    details.replaceChildren(el("h3", "\u201c" + term.text + "\u201d \u2014 " + term.category.replace(/_/g, " ")));
    details.append(el("p", term.why));
    if (term.alternatives && term.alternatives.length) details.append(el("p", "Neutral: " + term.alternatives.join(", "), "meta"));
    if (term.attributed) details.append(el("p", "In a quote" + (term.attributed.speaker ? " from " + term.attributed.speaker : "") + ": the speaker's wording, not the outlet's.", "meta"));
  }

  function describe(mark, item, kind) {
    const show = () => (kind === "entity" ? showCard(current.cards[item.card]) : showTerm(item));
    mark.tabIndex = 0;
    mark.addEventListener("mouseenter", show);
    mark.addEventListener("focus", show);
    mark.addEventListener("click", show);
    const label = kind === "entity" ? (current.cards[item.card].description || current.cards[item.card].title)
                                    : item.category.replace(/_/g, " ") + ": " + item.why;
    mark.setAttribute("aria-label", item.text + " \u2014 " + label);
  }

  function renderBlock(text, items) {
    const p = el("p");
    let at = 0;
    for (const { item, kind } of items) {
      if (item.start < at) continue; // overlapping marks: the first one wins
      p.append(document.createTextNode(text.slice(at, item.start)));
      const mark = el("mark", text.slice(item.start, item.end), kind + (item.attributed ? " quoted" : ""));
      describe(mark, item, kind);
      p.append(mark);
      at = item.end;
    }
    p.append(document.createTextNode(text.slice(at)));
    return p;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const paragraphs = document.getElementById("text").value.split(/\n\s*\n|\n/).filter((t) => t.trim());
    const blocks = paragraphs.map((text, i) => ({ id: "p" + i, text }));
    status.textContent = "Analysing\u2026";
    try {
      const res = await fetch("/api/v1/analyze", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ blocks }),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error ? body.error.message : res.statusText);
      current = body;
      article.replaceChildren(...blocks.map((b) => {
        const items = [
          ...body.mentions.filter((m) => m.block === b.id && m.card).map((item) => ({ item, kind: "entity" })),
          ...body.terms.filter((t) => t.block === b.id).map((item) => ({ item, kind: "term" })),
        ].sort((x, y) => x.item.start - y.item.start);
        return renderBlock(b.text, items);
      }));
      const s = body.stats;
      summary.textContent = `${body.mentions.length} names, ${Object.keys(body.cards).length} cards, ${body.terms.length} loaded terms in ${s.words} words` +
        (s.author ? ` \u2014 author's voice: ${s.author.per_1000_words} loaded terms per 1,000 words; quotes: ${s.quoted.per_1000_words}.` : ".");
      document.getElementById("result").hidden = false;
      status.textContent = `Done in ${Math.round(s.elapsed_ms)} ms.`;
    } catch (err) {
      status.textContent = "Could not analyse: " + err.message;
    }
  });
})();
