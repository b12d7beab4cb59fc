"""reader-context: serve the API, analyse a file, manage the knowledge base, evaluate. No Flask needed
except for `serve`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .settings import get_settings


def _analyzer():
    from .pipeline import Analyzer

    return Analyzer(get_settings())


def cmd_serve(args) -> int:
    from .web import create_app

    app = create_app()
    print(f"Reader Context on http://{args.host}:{args.port}/ (API under /api/v1)", file=sys.stderr)
    app.run(host=args.host, port=args.port, threaded=True)
    return 0


def cmd_analyze(args) -> int:
    from .pipeline import Block

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8", errors="replace")
    settings = get_settings()
    if len(text) > settings.max_chars:
        print(f"error: the text has {len(text)} characters; the limit is {settings.max_chars}", file=sys.stderr)
        return 2
    result = _analyzer().analyze([Block("0", text)], online=args.online)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(report(result))
    return 0


def report(result: dict) -> str:
    lines = []
    cards = result["cards"]
    uses: dict[str, list[str]] = {}
    for m in result["mentions"]:
        if m["card"]:
            uses.setdefault(m["card"], []).append(m["text"])
    lines.append(f"Names with cards ({len(uses)}):")
    for cid, texts in uses.items():
        c = cards[cid]
        names = ", ".join(dict.fromkeys(texts))
        lines.append(f"  {names} -> {c['title']} [{c['source']}, {c['kind']}]: {c.get('description') or ''}")
        if c.get("in_article"):
            lines.append(f"      in this article: {'; '.join(c['in_article'])}")
    unlinked = sorted({m["text"] for m in result["mentions"] if not m["card"]})
    if unlinked:
        lines.append(f"Names without a card: {', '.join(unlinked)}")
    lines.append(f"Loaded terms ({len(result['terms'])}):")
    for t in result["terms"]:
        who = ""
        if t.get("attributed"):
            who = f" (quoted{', ' + t['attributed']['speaker'] if t['attributed'].get('speaker') else ''})"
        lines.append(f"  {t['text']!r} {t['category']} {t['severity']}{who}: {t['why']}")
    s = result["stats"]
    lines.append(f"{s['words']} words, {s.get('terms_per_1000_words', 0)} loaded terms per 1,000 words, {s['elapsed_ms']} ms")
    return "\n".join(lines)


def cmd_kb(args) -> int:
    from .knowledge import KnowledgeStore, build_embedded, import_user_entries, open_knowledge

    settings = get_settings()
    if args.kb_command == "build":
        store = KnowledgeStore(settings.knowledge_path)
        store.create_schema()
        rep = build_embedded(store, force=True)
        print(f"built {rep.entities} embedded entities, {rep.aliases} aliases in {rep.seconds:.1f} s -> {store.path}")
        return 0
    store = open_knowledge(settings.knowledge_path)
    if args.kb_command == "stats":
        print(json.dumps(store.stats(), indent=2, ensure_ascii=False))
    elif args.kb_command == "lookup":
        entity = store.lookup(args.name)
        if entity is None:
            print(f"no card for {args.name!r}", file=sys.stderr)
            return 1
        print(json.dumps(entity.card().model_dump(), indent=2, ensure_ascii=False))
    elif args.kb_command == "warm":
        from .knowledge.warm import warm
        from .knowledge.wikipedia import WikipediaSource

        titles = [t.strip() for t in Path(args.file).read_text(encoding="utf-8").splitlines() if t.strip()]
        rep = warm(titles, store, WikipediaSource.from_settings(settings), settings,
                   progress=lambda r: print(f"\rfetched {r.fetched}, no article {r.missing}", end="", file=sys.stderr))
        print(f"\nasked {rep.asked}: fetched {rep.fetched}, no article {rep.missing}, already fresh {rep.skipped}"
              + (f"; stopped: {rep.stopped}" if rep.stopped else ""))
        return 1 if rep.stopped else 0
    elif args.kb_command == "import":
        rep = import_user_entries(store, Path(args.file))
        for line, message in rep.errors:
            print(f"{args.file}:{line}: skipped: {message}", file=sys.stderr)
        print(f"imported {rep.added} entries; skipped {len(rep.errors)} lines")
        return 1 if rep.errors and not rep.added else 0
    return 0


def cmd_eval(args) -> int:
    if args.eval_command == "entities":
        from .evaluation.entities import evaluate_entities, format_entities_report

        result = evaluate_entities([Path(p) for p in args.files], _analyzer())
        print(format_entities_report(result))
    else:
        from .evaluation.terms import evaluate_terms, format_terms_report

        analyzer = _analyzer()
        analyzer.warm_up()
        result = evaluate_terms(Path(args.directory), analyzer.nlp, analyzer.detector)
        print(format_terms_report(result))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader-context", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the API and the demo page")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("analyze", help="analyse a text file (or - for standard input)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print exactly the /analyze response")
    p.add_argument("--online", choices=["never", "auto", "always"], default=None)
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("kb", help="the knowledge base")
    kb = p.add_subparsers(dest="kb_command", required=True)
    kb.add_parser("build", help="(re)build the embedded entries")
    kb.add_parser("stats", help="counts by source and kind")
    q = kb.add_parser("lookup", help="the card for a name")
    q.add_argument("name")
    q = kb.add_parser("import", help="add your own entries from a JSON-lines file")
    q.add_argument("file")
    q = kb.add_parser("warm", help="fetch Wikipedia titles (one a line) into the knowledge base")
    q.add_argument("file")
    p.set_defaults(func=cmd_kb)

    p = sub.add_parser("eval", help="measure quality on gold data")
    ev = p.add_subparsers(dest="eval_command", required=True)
    q = ev.add_parser("entities", help="entity linking on ELEVANT / entity-fishing JSON-lines gold sets")
    q.add_argument("files", nargs="+")
    q = ev.add_parser("terms", help="loaded terms on the PTC corpus directory")
    q.add_argument("directory")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
