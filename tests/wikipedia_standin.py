"""A local stand-in for the Wikipedia APIs the online source calls, so its tests need no internet.

Speaks the subset of the MediaWiki Action API (action=query with titles, redirects, extracts,
description, pageimages, pageprops and info; list=search; format=json, formatversion 2 for page
queries) and of the REST summary endpoint that `reader_context.knowledge.wikipedia` uses. Its pages
are the real lead paragraphs in shared/data/wikipedia-paragraphs (read at test time, never copied
here) plus the few articles the seed article needs, written below in our own words. Faults can be
switched on per test, and every request is counted per title and per search.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

from conftest import SHARED

PARAGRAPHS = SHARED / "data" / "wikipedia-paragraphs" / "kb_first_paragraphs.jsonl"


@dataclass
class Article:
    title: str
    extract: str
    description: str | None = None
    thumbnail: str | None = None
    disambiguation: bool = False


@dataclass
class Fault:
    """What every request gets until the test clears it: kind is slow, error, rate-limit or malformed."""

    kind: str
    seconds: float = 0.0  # slow: how long to sit before answering
    status: int = 500  # error / rate-limit: the status to answer with
    retry_after: str | None = None


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"(])", text.strip()) if s]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def closed_port_url() -> str:
    """A base URL on which nothing listens: connections are refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def real_paragraphs() -> list[dict]:
    if not PARAGRAPHS.is_file():
        return []
    with PARAGRAPHS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# The articles the seed article (Palmyra, 2016) needs, written for these tests.
SEED_ARTICLES = [
    Article("Irina Bokova", "Irina Georgieva Bokova is a Bulgarian politician and diplomat. She was Director-General of"
            " UNESCO from 2009 to 2017, the first woman to hold the post. Before that she was Bulgaria's"
            " ambassador to France and a minister of foreign affairs.", "Bulgarian politician",
            "https://upload.example/Irina_Bokova.jpg"),
    Article("Islamic State", "The Islamic State (IS), also known as the Islamic State of Iraq and the Levant (ISIL) and"
            " by its Arabic acronym Daesh, is a Salafi jihadist militant organization. It seized large parts of Iraq"
            " and Syria in 2014. It destroyed monuments of Palmyra in 2015.", "Salafi jihadist militant organization",
            "https://upload.example/IS_flag.svg"),
    Article("Syriatel", "Syriatel is a mobile telephone company in Syria. It is one of the two mobile network operators"
            " in the country.", "Mobile telephone company in Syria"),
    Article("Fakhr-al-Din al-Maani Castle", "Fakhr-al-Din al-Maani Castle is a castle on a hill above Palmyra in Syria."
            " It was probably built in the 12th or 13th century. It overlooks the ruins of the ancient city.",
            "Castle near Palmyra, Syria"),
    Article("Palmyra (disambiguation)", "Palmyra is an ancient city in Syria. Palmyra may also refer to: Palmyra,"
            " New York; Palmyra Atoll.", disambiguation=True),
    Article("Bokova", "Bokova is a surname. It may refer to: Irina Bokova, Bulgarian politician.", disambiguation=True),
]
SEED_REDIRECTS = {
    "ISIS": "Islamic State", "ISIL": "Islamic State", "Daesh": "Islamic State",
    "Islamic State of Iraq and the Levant": "Islamic State", "Palmyra Castle": "Fakhr-al-Din al-Maani Castle",
}


@dataclass
class Seen:
    """What reached the stand-in: counted before any fault, so a test can tell "refused" from "sent"."""

    requests: int = 0
    titles: Counter = field(default_factory=Counter)  # per title asked, in a page query or a REST path
    searches: Counter = field(default_factory=Counter)  # per srsearch
    batches: list[int] = field(default_factory=list)  # titles per page query
    params: list[dict] = field(default_factory=list)
    user_agents: set = field(default_factory=set)
    in_flight: int = 0
    most_in_flight: int = 0


class WikipediaStandIn:
    def __init__(self, *, with_real_paragraphs: bool = True):
        self.articles: dict[str, Article] = {}
        self.redirects: dict[str, str] = {}
        self.fault: Fault | None = None
        self.delay = 0.0  # an ordinary latency, so two workers really overlap
        self.seen = Seen()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        if with_real_paragraphs:
            for item in real_paragraphs():
                self.add(Article(item["title"], item["first_paragraph"]))
        for article in SEED_ARTICLES:
            self.add(article)
        self.redirects.update(SEED_REDIRECTS)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, article: Article) -> None:
        self.articles[article.title] = article

    def close(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WikipediaStandIn:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- answers ---------------------------------------------------------------------------------
    def _normalize(self, title: str) -> str:
        title = " ".join(title.replace("_", " ").split())
        return title[:1].upper() + title[1:]

    def _page(self, title: str, props: set[str], params: dict) -> dict:
        if re.search(r"[#<>\[\]|{}]", title) or not title:
            return {"title": title, "invalid": True,
                    "invalidreason": "The requested page title contains invalid characters"}
        article = self.articles.get(title)
        if article is None:
            return {"ns": 0, "title": title, "missing": True}
        page: dict = {"pageid": abs(hash(title)) % 10_000_000, "ns": 0, "title": title}
        if "extracts" in props:
            text = article.extract
            if params.get("exsentences"):
                text = " ".join(sentences(text)[: int(params["exsentences"])])
            page["extract"] = text
        if "description" in props and article.description:
            page["description"] = article.description
            page["descriptionsource"] = "local"
        if "pageimages" in props and article.thumbnail:
            page["thumbnail"] = {"source": article.thumbnail, "width": 320, "height": 240}
        if "pageprops" in props and article.disambiguation:
            page["pageprops"] = {"disambiguation": ""}
        if "info" in props and "url" in params.get("inprop", ""):
            page["fullurl"] = page["canonicalurl"] = f"{self.url}/wiki/{quote(title.replace(' ', '_'))}"
        return page

    def _query(self, params: dict) -> dict:
        out: dict = {"batchcomplete": True, "query": {}}
        if params.get("list") == "search":
            found = self._search(params.get("srsearch", ""), int(params.get("srlimit", 10)))
            out["query"]["searchinfo"] = {"totalhits": len(found)}
            out["query"]["search"] = [{"ns": 0, "title": t, "pageid": 1, "size": 100, "wordcount": 10,
                                       "snippet": "", "timestamp": "2024-01-01T00:00:00Z"} for t in found]
        if params.get("titles"):
            asked = params["titles"].split("|")
            props = set(params.get("prop", "").split("|"))
            normalized, redirects, pages = [], [], {}
            for title in asked:
                current = self._normalize(title)
                if current != title:
                    normalized.append({"fromencoded": False, "from": title, "to": current})
                if params.get("redirects") and current in self.redirects:
                    redirects.append({"from": current, "to": self.redirects[current]})
                    current = self.redirects[current]
                pages.setdefault(current, self._page(current, props, params))
            if normalized:
                out["query"]["normalized"] = normalized
            if redirects:
                out["query"]["redirects"] = redirects
            out["query"]["pages"] = list(pages.values())
        return out

    def _search(self, query: str, limit: int) -> list[str]:
        """Exact title or redirect first, then titles holding every word, then leads holding them."""
        wanted = words(query)
        if not wanted:
            return []
        ranked: list[tuple[int, str]] = []
        exact = self.redirects.get(self._normalize(query), self._normalize(query))
        for title, article in self.articles.items():
            title_words = words(title)
            if title == exact:
                ranked.append((0, title))
            elif all(w in title_words for w in wanted):
                ranked.append((1, title))
            elif all(w in words(article.extract) for w in wanted):
                ranked.append((2, title))
        return [t for _, t in sorted(ranked)][:limit]

    def _summary(self, raw_title: str) -> tuple[int, dict, dict]:
        title = self._normalize(unquote(raw_title))
        if title in self.redirects:
            target = quote(self.redirects[title].replace(" ", "_"), safe="")
            return 302, {"Location": target}, {}
        article = self.articles.get(title)
        if article is None:
            return 404, {}, {"type": "https://mediawiki.org/wiki/HyperSwitch/errors/not_found", "title": "Not found."}
        body = {
            "type": "disambiguation" if article.disambiguation else "standard",
            "title": title.replace(" ", "_"),
            "titles": {"canonical": title.replace(" ", "_"), "normalized": title, "display": title},
            "extract": article.extract,
            "content_urls": {"desktop": {"page": f"{self.url}/wiki/{quote(title.replace(' ', '_'))}"}},
        }
        if article.description:
            body["description"] = article.description
        if article.thumbnail:
            body["thumbnail"] = {"source": article.thumbnail, "width": 320, "height": 240}
        return 200, {}, body

    # -- HTTP ------------------------------------------------------------------------------------
    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output to the tests' own
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                with standin._lock:
                    seen = standin.seen
                    seen.requests += 1
                    seen.in_flight += 1
                    seen.most_in_flight = max(seen.most_in_flight, seen.in_flight)
                    seen.user_agents.add(self.headers.get("User-Agent", ""))
                    seen.params.append(params)
                    if parts.path == "/w/api.php" and params.get("titles"):
                        seen.batches.append(len(params["titles"].split("|")))
                        seen.titles.update(params["titles"].split("|"))
                    if parts.path == "/w/api.php" and params.get("list") == "search":
                        seen.searches[params.get("srsearch", "")] += 1
                    if parts.path.startswith("/api/rest_v1/page/summary/"):
                        seen.titles[unquote(parts.path.rsplit("/", 1)[1]).replace("_", " ")] += 1
                    fault = standin.fault
                try:
                    if standin.delay:
                        standin._closing.wait(standin.delay)
                    self._answer(parts.path, params, fault)
                finally:
                    with standin._lock:
                        standin.seen.in_flight -= 1

            def _answer(self, path, params, fault):
                if fault and fault.kind == "slow":
                    standin._closing.wait(fault.seconds)
                elif fault and fault.kind in ("error", "rate-limit"):
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                    return self._send(fault.status, {"error": "stand-in fault"}, headers)
                elif fault and fault.kind == "malformed":
                    return self._send(200, b'{"batchcomplete": true, "query": {"pages": [', {})
                if path == "/w/api.php" and params.get("action") == "query":
                    return self._send(200, standin._query(params), {})
                if path.startswith("/api/rest_v1/page/summary/"):
                    status, headers, body = standin._summary(path.rsplit("/", 1)[1])
                    return self._send(status, body, headers)
                return self._send(400, {"error": f"the stand-in does not speak {path}"}, {})

            def _send(self, status, body, headers):
                data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test); nothing to tell it

        return Handler


def main() -> None:
    """`python tests/wikipedia_standin.py [--slow SECONDS]`: the stand-in as a process, for the extension's e2e
    tests (node cannot import it). Prints its URL on the first line and serves until its stdin closes."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--slow", type=float, default=0.0, help="every request sits this many seconds first")
    args = parser.parse_args()
    with WikipediaStandIn() as standin:
        if args.slow:
            standin.fault = Fault("slow", seconds=args.slow)
        print(standin.url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
