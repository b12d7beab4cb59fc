// Test pages modelled on the layouts that broke extraction on real news sites (issue 14), in our own words.
// Each keeps the structure that mattered and nothing of any outlet's text.

const STORY = [
  "Syrian troops entered Palmyra on Sunday after a savage three-week siege, and UNESCO asked to send experts at once.",
  "Vladimir Putin told reporters in Moscow that the ruins would be cleared of mines before any visitor returned.",
  "Officials in Damascus called the destruction of the temple heinous and promised that Palmyra would be rebuilt.",
  "Archaeologists who worked at Palmyra before the war said the damage to the arch could be repaired within years.",
  "UNESCO said it would publish its own assessment of the site once its team had walked the whole of the old city.",
];

const head = (title, htmlClass = "", bodyClass = "") => `<!doctype html>
<html lang="en" class="${htmlClass}"><head><meta charset="utf-8"><title>${title}</title>
<style>body { font: 18px/1.6 Georgia, serif; max-width: 40rem; margin: 0 auto; padding: 1rem; }</style></head>
<body class="${bodyClass}">`;

const paragraphs = (list) => list.map((p) => `<p>${p}</p>`).join("\n");

// Words of the exclusion rules on <html>, <body> and a wrapper around everything; a real comment thread and an
// advert inside the article's container must still be left out.
export const wrapperClasses = () => `${head("Palmyra retaken", "js has-comments", "sponsored-layout advert-slots")}
<div class="page-wrapper comments-enabled">
<nav><a href="/">Home</a></nav>
<main><article>
<h1>Palmyra retaken</h1>
${paragraphs(STORY)}
<div class="advert"><p>Advertisement: savage discounts on flights to Damascus.</p></div>
<section class="comment-thread"><p>A reader wrote: heinous reporting on Vladimir Putin.</p></section>
</article></main>
</div>
</body></html>`;

// A headline teaser <article> inside the navigation, before the real article.
export const navTeaser = () => `${head("Palmyra retaken")}
<header><nav><article class="teaser"><h3><a href="/other">UNESCO reacts to a savage week</a></h3></article></nav></header>
<main><article class="story">
<h1>Palmyra retaken</h1>
${paragraphs(STORY)}
</article></main>
</body></html>`;

// Readability strips the "social" wrapper on its first pass, finds too little text and starts again from the
// page's HTML, so the article it returns is made of new nodes none of which is on the live page. The old fallback
// then took the first <article>: the teaser in the navigation.
export const rebuiltText = () => `${head("Palmyra retaken")}
<nav><article class="teaser"><h3><a href="/other">UNESCO reacts to a savage week</a></h3></article></nav>
<div class="social-layout"><div>
<h1>Palmyra retaken</h1>
${paragraphs(STORY)}
</div></div>
</body></html>`;

// A live blog: short timestamped posts, each with its own footer of share and comment links, and a list of
// key events beside them.
export const liveBlog = () => `${head("Palmyra: live updates")}
<main>
<h1>Palmyra: live updates</h1>
<aside class="key-events"><h2>Key events</h2><ul><li><a href="#p1">UNESCO statement</a></li></ul></aside>
<div class="liveblog">
${STORY.map((p, i) => `<div class="liveblog-post" id="p${i + 1}">
<time>${10 + i}:0${i}</time><h2>Update ${i + 1}</h2>
<p>${p}</p>
<footer class="post-meta"><a href="#share">Share</a> <a href="#c" class="comment-count">3 comments</a></footer>
</div>`).join("\n")}
</div>
</main>
</body></html>`;

// Two sections under a subheading, each naming Palmyra more than once; "savage" twice in one paragraph.
export const sections = () => `${head("After the siege")}
<main><article>
<h1>After the siege</h1>
<p id="s1a">Palmyra woke to a savage silence. By noon the road to Palmyra was open again, a savage reminder of the war.</p>
<p id="s1b">Engineers said Palmyra would need a year of work before its museum could reopen to the public.</p>
<h2>The view from Damascus</h2>
<p id="s2a">In Damascus, ministers promised that Palmyra would be rebuilt stone by stone, with help from UNESCO.</p>
<p id="s2b">They did not say who would pay for Palmyra, nor when the first visitors would be allowed back.</p>
</article></main>
</body></html>`;

// The headline above the article's body, repeating the page's title (which adds the site's name).
export const headline = () => `${head("Vladimir Putin visits Palmyra | The Daily Example")}
<header class="story-head"><p class="kicker">Syria</p><h1 id="headline">Vladimir Putin visits Palmyra</h1></header>
<div class="story-body">
${paragraphs(STORY.slice(2))}
</div>
</body></html>`;
