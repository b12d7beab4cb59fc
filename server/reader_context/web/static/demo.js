// The demo page: the same renderer as the extension (its modules in extension/src/render/, served as they are),
// drawing on paragraphs the reader pasted, so the product can be tried without installing anything.
import { createMarks } from "/renderer/render/marks.js";
import { mapBlock } from "/renderer/render/offsets.js";

const $ = (id) => document.getElementById(id);

async function api(path, init) {
  const res = await fetch(path, init);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? body.error.message : res.statusText);
  return body;
}

const marks = createMarks(document, {
  fetchCards: (ids) => api("/api/v1/cards?" + ids.map((id) => "id=" + encodeURIComponent(id)).join("&")),
});

// A first visit has nothing to paste: the sample article shipped with the server fills the box and is analysed.
$("sample").addEventListener("click", async () => {
  try {
    const res = await fetch("/static/sample-article.txt");
    if (!res.ok) throw new Error(res.statusText);
    $("text").value = await res.text();
    $("form").requestSubmit();
  } catch (err) {
    $("status").textContent = "Could not load the sample article: " + err.message;
  }
});

$("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const paragraphs = $("text").value.split(/\n/).map((t) => t.trim()).filter(Boolean);
  $("status").textContent = "Analysing\u2026";
  try {
    const body = await api("/api/v1/analyze", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ blocks: paragraphs.map((text, i) => ({ id: "b" + i, text })) }),
    });
    marks.clear();
    const nodes = paragraphs.map((text) => {
      const p = document.createElement("p");
      p.textContent = text;
      return p;
    });
    $("article").replaceChildren(...nodes);
    const counts = marks.render(nodes.map((p, i) => mapBlock("b" + i, [p.firstChild])), body);
    const s = body.stats;
    $("summary").textContent = `${counts.entities} names with cards and ${counts.terms} loaded terms in ${s.words} words. ` +
      `Author's voice: ${Math.round(s.author?.per_1000_words ?? s.terms_per_1000_words)} loaded terms per 1,000 words; ` +
      `quotes: ${s.quoted?.count ?? 0}.`;
    $("terms").replaceChildren(...counts.termList.map((term) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      const detail = document.createElement("span");
      detail.className = "category";
      detail.textContent = term.detail;
      button.append(term.text + " \u2014 ", detail);
      button.addEventListener("click", () => marks.reveal(term.index));
      li.append(button);
      return li;
    }));
    $("result").hidden = false;
    $("status").textContent = `Done in ${Math.round(s.elapsed_ms)} ms.`;
  } catch (err) {
    $("status").textContent = "Could not analyse: " + err.message;
  }
});
