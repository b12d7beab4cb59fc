// The card: what a mark's card and its keyboard label say, from the server's model to DOM. Every string from the
// server goes in with textContent, and only http(s) links and images are used: nothing remote is parsed as HTML.

const KIND_LABEL = { person: "Person", place: "Place", organization: "Organisation", event: "Event", work: "Work",
  concept: "Concept", other: "Name" };

// The states a name's card can be in while the reader looks at it.
const STATE_TEXT = {
  loading: "Loading\u2026",
  unknown: "Reader Context has no card for these words.",
  missing: "No card could be loaded.",
};

export function el(doc, tag, cls, text) {
  const node = doc.createElement(tag);
  if (cls) node.className = cls;
  if (text) node.textContent = text;
  return node;
}

const httpUrl = (url) => typeof url === "string" && /^https?:\/\//i.test(url);
const category = (term) => term.category.replace(/_/g, " ");

// The first n sentences; a full stop after a capital ("U.S.") does not end one.
export function firstSentences(text, n) {
  const ends = [...text.matchAll(/[\p{Ll}\d)"'\u201d\u2019][.!?]+(?=\s+[\p{Lu}"'\u201c\u2018(]|\s*$)/gu)];
  return ends.length > n ? text.slice(0, ends[n - 1].index + ends[n - 1][0].length) : text;
}

// Reported speech without quotation marks: the word is the outlet's, the person reported is only context.
function reportedSpeech(reported) {
  return reported.speaker ? "reporting what " + reported.speaker + " said" : "in reported speech";
}

// How a term is listed (the popup's and the demo page's list): its category and whose wording it is.
export function termDetail(t) {
  return category(t) + (t.attributed ? (t.attributed.speaker ? ", quoting " + t.attributed.speaker : ", in a quote")
    : t.reported ? ", " + reportedSpeech(t.reported) : "");
}

// What a screen reader says on reaching a mark: its words, then its card's gist (`pending`: still being looked up).
export function label(mark, cards) {
  const item = mark.item;
  if (mark.kind === "term") {
    const quote = item.attributed ? `, in a quote${item.attributed.speaker ? " from " + item.attributed.speaker : ""}`
      : item.reported ? ", " + reportedSpeech(item.reported) : "";
    return `${item.text}: loaded term, ${category(item)}${quote}. ${item.why}`;
  }
  const c = cards[mark.card];
  if (!c) return `${item.text}: name, ${mark.pending ? "looking it up" : "card not loaded yet"}`;
  return `${item.text}: ${c.title}${c.description ? ", " + c.description : ""}`;
}

function fillEntity(doc, card, c) {
  card.dataset.kind = "entity";
  const head = el(doc, "div", "head");
  const text = el(doc, "div");
  text.append(el(doc, "p", "kicker", KIND_LABEL[c.kind] || "Name"), el(doc, "h2", "title", c.title));
  if (c.description) text.append(el(doc, "p", "desc", c.description));
  head.append(text);
  if (httpUrl(c.thumbnail)) {
    const img = el(doc, "img", "thumb");
    img.alt = "";
    img.referrerPolicy = "no-referrer";
    img.src = c.thumbnail;
    head.append(img);
  }
  card.append(head);
  if (c.summary) card.append(el(doc, "p", "body", firstSentences(c.summary, 2)));
  if (c.in_article?.length) card.append(el(doc, "p", "note", "In this article: " + c.in_article.join("; ")));
  const source = el(doc, "p", "source");
  source.append(el(doc, "span", "", c.attribution || (c.source === "article" ? "From this article" : c.source)));
  if (httpUrl(c.url)) {
    const more = el(doc, "a", "", "Read more");
    more.href = c.url;
    more.target = "_blank";
    more.rel = "noopener noreferrer";
    source.append(more);
  }
  card.append(source);
}

function fillTerm(doc, card, t) {
  card.dataset.kind = t.attributed ? "quoted" : "term";
  card.append(el(doc, "p", "kicker", "Loaded term \u00b7 " + category(t)), el(doc, "h2", "title", `\u201c${t.text}\u201d`));
  card.append(el(doc, "p", "body", t.why));
  if (t.alternatives?.length) card.append(el(doc, "p", "note", "Neutral alternatives: " + t.alternatives.join(", ")));
  // The note carries what no single word can (when the word is accurate, what to write instead, why a quote
  // offers nothing): without it a card with no alternatives would leave the reader with nothing.
  if (t.note) card.append(el(doc, "p", "note", t.note));
  if (t.attributed) {
    const who = t.attributed.speaker ? "In a quote from " + t.attributed.speaker : "In a quote";
    card.append(el(doc, "p", "note", who + ": the speaker's wording, not the outlet's."));
  } else if (t.reported) {
    const speech = reportedSpeech(t.reported);
    card.append(el(doc, "p", "note", speech[0].toUpperCase() + speech.slice(1) + ": the outlet's wording."));
  }
}

// Fills the card element for `mark` ({kind, item, card: the id of its card}) in `state` ("ready", "loading",
// "unknown" or "missing"); `cards` by id.
// A name whose Wikipedia card is still on its way shows what is known meanwhile (the article's card) and says so.
export function fillCard(card, mark, state, cards) {
  const doc = card.ownerDocument;
  card.replaceChildren();
  card.setAttribute("aria-label", mark.item.text);
  card.removeAttribute("aria-busy");
  const known = cards[mark.card];
  if (mark.kind === "term") fillTerm(doc, card, mark.item);
  else if (known && (state === "ready" || state === "loading")) fillEntity(doc, card, known);
  else {
    card.dataset.kind = "entity";
    card.append(el(doc, "h2", "title", mark.item.text), el(doc, "p", "desc", STATE_TEXT[state] || STATE_TEXT.missing));
  }
  if (mark.kind !== "term" && state === "loading") {
    card.setAttribute("aria-busy", "true");
    if (known) card.append(el(doc, "p", "note loading", "Looking for more on Wikipedia\u2026"));
  }
}
