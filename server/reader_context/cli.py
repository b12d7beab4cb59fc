"""reader-context: serve the API, analyse articles, manage the knowledge base, evaluate.

Built on click (which Flask already brings); only `serve` imports Flask.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import sys
from pathlib import Path

import click

from . import __version__
from .settings import get_settings

ONLINE = click.Choice(["never", "auto", "always"])


class _Group(click.Group):
    """Errors a user can act on (a missing file, a bad lexicon, a locked knowledge base) are one line on
    stderr and exit status 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # click's own: usage errors and exits say what they mean already
        except BrokenPipeError:
            # `reader-context analyze ... | head`: the reader has what they wanted. Point stdout at nothing so that
            # the interpreter's last flush does not fail again on the closed pipe.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except (OSError, ValueError, RuntimeError) as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


def _analyzer():
    from .pipeline import Analyzer

    return Analyzer(get_settings())


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.version_option(__version__, "--version", prog_name="reader-context")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
def main(verbose: bool) -> None:
    """Context cards for the named things in a news article, and explanations of its loaded wording."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.option("--host", default="127.0.0.1", help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=5000, type=click.IntRange(1, 65535), help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """Run the API and the demo page on a local server for one reader: never rate-limited (see the README's
    Deploying for gunicorn)."""
    from .web import create_app

    _check_port_free(host, port)  # before the model loads: a busy port is the first thing to hear about
    settings = get_settings()
    if settings.rate_limit_enabled is None:
        # The reader's own server: a batch script or a busy extension must never be told to wait.
        settings = settings.model_copy(update={"rate_limit_enabled": False})
    app = create_app(settings)
    # Our request log has one line per request without the query string; werkzeug's would be a second, coloured one.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    click.echo(f"Reader Context on http://{host}:{port}/ (API under /api/v1); Ctrl+C stops it", err=True)
    app.run(host=host, port=port, threaded=True)


def _check_port_free(host: str, port: int) -> None:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot listen on {host!r}: {exc.strerror}") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"port {port} on {host} is already in use; choose another with `make run PORT=5050` or"
                    f" `reader-context serve --port 5050`") from None
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print exactly the /analyze response (one file).")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print one /analyze response a line, one line per file.")
@click.option("--online", type=ONLINE, default=None,
              help="Use Wikipedia: never, auto or always (default: READER_CONTEXT_ONLINE).")
def analyze(files: tuple[str, ...], as_json: bool, as_jsonl: bool, online: str | None) -> None:
    """Analyse text files (- for standard input; a folder stands for its .txt files): names with their cards,
    then the loaded terms.

    With several files the model loads once; a file that cannot be read or analysed is named on stderr, the
    others go on, and the exit status is 1.
    """
    from tqdm import tqdm

    from .pipeline import Block

    if as_json and as_jsonl:
        raise click.UsageError("give --json or --jsonl, not both")
    files = _expand_folders(files)
    if as_json and len(files) > 1:
        raise click.UsageError("--json prints one response; use --jsonl for several files")
    settings = get_settings()
    analyzer = _analyzer()
    failed: list[str] = []
    # A bar only where a person watches: on a terminal, and with more than one file to wait for.
    bar = tqdm(files, unit="file", file=sys.stderr, disable=len(files) < 2 or not sys.stderr.isatty(), leave=False)
    for file in bar:
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8", errors="replace")
            if len(text) > settings.max_chars:
                raise ValueError(f"the text has {len(text)} characters; the limit is {settings.max_chars}")
            result = analyzer.analyze([Block("0", text)], online=online)
        except (OSError, ValueError, RuntimeError) as exc:
            if len(files) == 1:
                raise
            failed.append(file)
            bar.write(f"error: {file}: {exc}", file=sys.stderr)
            continue
        if as_jsonl:
            click.echo(result.model_dump_json())
        elif as_json:
            click.echo(result.model_dump_json(indent=2))
        else:
            click.echo((f"== {file}\n" if len(files) > 1 else "") + report(result))
    bar.close()
    if failed:
        click.echo(f"error: {len(failed)} of {len(files)} files failed: {', '.join(failed)}", err=True)
        sys.exit(1)


def _expand_folders(paths: tuple[str, ...]) -> tuple[str, ...]:
    """A folder of articles is its .txt files, in name order; a folder with none is a usage error, not silence."""
    files: list[str] = []
    for path in paths:
        if path != "-" and Path(path).is_dir():
            found = sorted(str(p) for p in Path(path).glob("*.txt") if p.is_file())
            if not found:
                raise click.UsageError(f"{path} is a folder with no .txt files in it")
            files += found
        else:
            files.append(path)
    return tuple(files)


def report(result) -> str:
    """The analysis as a person reads it: names with their cards, then the loaded terms."""
    lines = []
    uses: dict[str, list[str]] = {}
    for m in result.mentions:
        if m.card:
            uses.setdefault(m.card, []).append(m.text)
    lines.append(f"Names with cards ({len(uses)}):")
    for cid, texts in uses.items():
        c = result.cards[cid]
        lines.append(f"  {', '.join(dict.fromkeys(texts))} -> {c.title} [{c.source}, {c.kind}]: {c.description or ''}")
        if c.in_article:
            lines.append(f"      in this article: {'; '.join(c.in_article)}")
    unlinked = sorted({m.text for m in result.mentions if not m.card})
    if unlinked:
        lines.append(f"Names without a card: {', '.join(unlinked)}")
    lines.append(f"Loaded terms ({len(result.terms)}):")
    for t in result.terms:
        who = ""
        if t.attributed:
            who = f" (quoted, {t.attributed.speaker})" if t.attributed.speaker else " (quoted)"
        elif t.reported:
            who = f" (reporting {t.reported.speaker})" if t.reported.speaker else " (reported speech)"
        lines.append(f"  {t.text!r} {t.category} {t.severity}{who}: {t.why}")
    s = result.stats
    lines.append(f"{s.words} words, {s.terms_per_1000_words} loaded terms per 1,000 words, {s.elapsed_ms} ms")
    return "\n".join(lines)


@main.group()
def kb() -> None:
    """The knowledge base (READER_CONTEXT_KB_PATH)."""


def _store():
    from .knowledge import open_knowledge

    return open_knowledge(get_settings().knowledge_path)


@kb.command()
def build() -> None:
    """(Re)build the embedded entries; your own and Wikipedia's stay."""
    from .knowledge import KnowledgeStore, build_embedded

    store = KnowledgeStore(get_settings().knowledge_path)
    store.create_schema()
    rep = build_embedded(store, force=True)
    click.echo(f"built {rep.entities} embedded entities, {rep.aliases} aliases in {rep.seconds:.1f} s -> {store.path}")


@kb.command()
def stats() -> None:
    """Counts by source and kind, as JSON."""
    click.echo(json.dumps(_store().stats(), indent=2, ensure_ascii=False))


@kb.command()
@click.argument("name")
def lookup(name: str) -> None:
    """The card the base gives a name, as JSON (exit 1 when none)."""
    entity = _store().lookup(name)
    if entity is None:
        click.echo(f"no card for {name!r}", err=True)
        sys.exit(1)
    click.echo(entity.card().model_dump_json(indent=2))


@kb.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(file: Path) -> None:
    """Add your own entries, one JSON object a line: {title, description, summary, aliases, kind, url}."""
    from .knowledge import import_user_entries

    rep = import_user_entries(_store(), file)
    for line, message in rep.errors:
        click.echo(f"{file}:{line}: skipped: {message}", err=True)
    click.echo(f"imported {rep.added} entries; skipped {len(rep.errors)} lines")
    sys.exit(1 if rep.errors and not rep.added else 0)


@kb.command()
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def warm(file: Path | None) -> None:
    """Fetch Wikipedia titles (one a line) into the base, politely; resumable. Without FILE, the ~360 actors of
    the news the embedded packs lack (knowledge/data/news-titles.txt)."""
    from .knowledge.warm import NEWS_TITLES, read_titles
    from .knowledge.warm import warm as warm_titles
    from .knowledge.wikipedia import WikipediaSource

    settings = get_settings()
    titles = read_titles(file or NEWS_TITLES)
    rep = warm_titles(titles, _store(), WikipediaSource.from_settings(settings), settings,
                      progress=lambda r: click.echo(f"\rfetched {r.fetched}, no article {r.missing}", nl=False, err=True))
    click.echo(f"\nasked {rep.asked}: fetched {rep.fetched}, no article {rep.missing}, already fresh {rep.skipped}"
               + (f"; stopped: {rep.stopped}" if rep.stopped else ""))
    sys.exit(1 if rep.stopped else 0)


@main.group(name="eval")
def eval_() -> None:
    """Measure quality on gold data."""


@eval_.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--sentences", is_flag=True, help="Analyse each sentence alone, as a short text (an API call, a"
              " looked-up selection), instead of each document whole.")
@click.option("--thresholds", default=None, metavar="T,T,...",
              help="Instead of the report, a table of precision and recall at each of these linking thresholds.")
def entities(files: tuple[Path, ...], sentences: bool, thresholds: str | None) -> None:
    """Entity linking on ELEVANT / entity-fishing JSON-lines gold sets."""
    from .evaluation.entities import evaluate_entities, format_entities_report, format_threshold_table, threshold_table

    if thresholds:
        try:
            values = [float(t) for t in thresholds.split(",")]
        except ValueError:
            raise click.BadParameter(f"{thresholds!r} is not a comma-separated list of numbers", param_hint="--thresholds")
        if any(not 0 <= t <= 1 for t in values):
            raise click.BadParameter("thresholds lie between 0 and 1", param_hint="--thresholds")
        click.echo(format_threshold_table(threshold_table(list(files), _analyzer(), values, sentences=sentences)))
        return
    click.echo(format_entities_report(evaluate_entities(list(files), _analyzer(), sentences=sentences)))


@eval_.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the whole result, every rule's precision included.")
def terms(directory: Path, as_json: bool) -> None:
    """Loaded terms on the PTC corpus directory."""
    from .evaluation.terms import evaluate_terms, format_terms_report

    analyzer = _analyzer()
    analyzer.warm_up()
    result = evaluate_terms(directory, analyzer.nlp, analyzer.terms)
    click.echo(json.dumps(result, indent=2) if as_json else format_terms_report(result))


@eval_.command()
@click.argument("sets", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def framing(sets: tuple[Path, ...]) -> None:
    """Where the framing profile's levels fall on sets of articles: JSON-lines files with a `text` per line (news)
    and PTC folders (propaganda), each article analysed as the API does, offline."""
    from .evaluation.framing import evaluate_framing, format_framing_report

    click.echo(format_framing_report(evaluate_framing(list(sets), _analyzer())))


@eval_.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def voice(file: Path) -> None:
    """Whose voice loaded words are in, and their speakers, on written cases (tests/data/voice_cases.yaml)."""
    from .evaluation.voice import evaluate_voice, format_voice_report

    click.echo(format_voice_report(evaluate_voice(file, _analyzer())))


if __name__ == "__main__":
    main()
