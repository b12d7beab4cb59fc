"""The contract of API v1 (../docs/API.md): every request and response model, declared once.

The pipeline builds these, the CLI prints them and the web layer serves them; the OpenAPI document is
generated from them. Nothing a client reads is undeclared: every model forbids extra fields.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .knowledge.entity import Card


__all__ = [
    "AnalyzeRequest", "AnalyzeResponse", "Attribution", "BlockIn", "Card", "CardsResponse", "ErrorBody",
    "ErrorResponse", "HealthResponse", "KnowledgeHealth", "LookupResponse", "Mention", "OnlineHealth", "Reported",
    "Stats", "Term", "Voice",
]


def _valid_unicode(value: str) -> str:
    """Text must be Unicode a UTF-8 response can carry: a lone surrogate (JSON "\\ud800" without its pair)
    is refused with its position, since it could not be echoed back in a mark."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"contains a lone surrogate (U+{ord(value[exc.start]):04X}) at character {exc.start},"
                         " which is not valid Unicode; replace it, e.g. with U+FFFD") from None
    return value


Text = Annotated[str, AfterValidator(_valid_unicode)]


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- requests ------------------------------------------------------------------------------------


class BlockIn(_Model):
    id: Text = Field(min_length=1, description="The block's id, echoed in every mark of the response; unique"
                     " within a request")
    text: Text = Field(description="The block's text; offsets in the response are code points into it")
    kind: Literal["quote", "heading", "caption"] | None = Field(
        None, description="What the page says the block is; absent or null for body text. \"quote\" (a"
        " blockquote): its words are someone else's, the speaker's as the block before introduces them (\"X"
        " said:\"). \"heading\": the outlet's, and ends a transcript or an introduced quotation. \"caption\": the"
        " outlet's, without interrupting the quotation around it")


class AnalyzeRequest(_Model):
    # Exactly one of `text` and `blocks`; an explicit null counts as a wrong type, not as absent.
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "oneOf": [{"required": ["text"]}, {"required": ["blocks"]}],
        "description": "Exactly one of `text` or `blocks`. Limits not expressible here: block ids are unique"
                       " (400 duplicate_block_id) and all texts together hold at most the character limit"
                       " (413 text_too_long).",
    })

    text: Text = Field(None, description="The article as one block (id \"0\")", json_schema_extra=_no_default)
    blocks: list[BlockIn] = Field(None, description="The article as paragraph-like blocks",
                                  json_schema_extra=_no_default)
    url: Text | None = Field(None, max_length=4096, description="The page's address (never logged)")
    lang: Literal["en"] = "en"
    features: list[Literal["entities", "terms"]] = Field(default_factory=lambda: ["entities", "terms"])
    online: Literal["never", "auto", "always"] | None = None

    @model_validator(mode="after")
    def _one_input(self) -> AnalyzeRequest:
        if (self.text is None) == (self.blocks is None):
            raise ValueError("give exactly one of 'text' or 'blocks'")
        return self


# -- the analysis --------------------------------------------------------------------------------


class Mention(_Model):
    block: str
    start: int = Field(ge=0, description="Code-point offset into the block's text as sent")
    end: int = Field(ge=0, description="End, exclusive: block_text[start:end] == text")
    text: str
    label: str | None = Field(description="spaCy's NER label, or null when only the knowledge base found the name")
    card: str | None = Field(description="Id of the card in `cards`; null when the name is not linked (NIL)")
    confidence: float | None = Field(description="Linking score of a knowledge card; null for article cards")
    pending: str | None = Field(None, description="Id to fetch from GET /cards when Wikipedia answers after the"
                                " request's deadline; null otherwise")


class Attribution(_Model):
    """Whose wording a loaded term is, when it is not the outlet's own (then `attributed` is null)."""

    quote: Literal[True] = Field(description="Always true: the wording is someone else's, inside quotation marks,"
                                 " a quote block or a quotation or transcript a block introduces. Reported speech"
                                 " without marks is the outlet's wording (see `reported`)")
    speaker: str | None = Field(description="Who is quoted, as the article names them (the subject of \"said\","
                                " \"according to X\", the name \"he said\" points back to, the X of \"X said:\");"
                                " null rather than a guess, and null for what cannot speak (a report, a book)")


class Reported(_Model):
    """In the outlet's voice, reporting someone's words without quotation marks ("officials said the ...")."""

    speaker: str | None = Field(description="Whose words the outlet reports, as the article names them; null when"
                                " it names no one (\"officials\", \"a spokesman\")")


class Phrase(_Model):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Term(_Model):
    block: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    lemma: str = Field(description="The lexicon's form of the term, as a reader should see it")
    category: str
    severity: int = Field(ge=1, le=3)
    why: str = Field(description="One sentence saying why the wording is loaded")
    alternatives: list[str] = Field(description="Neutral wording that can replace `text` in its sentence, inflected"
                                    " to fit it; \"(omit)\" means drop `text`; empty inside a direct quotation")
    note: str | None = Field(description="More context about the term (\"Better: ...\" when a writer should say"
                                         " something instead, or why a quotation is not reworded), or null")
    attributed: Attribution | None = Field(description="null in the outlet's own voice, reported speech included")
    reported: Reported | None = Field(None, description="In the outlet's voice, the wording sits in reported speech:"
                                      " whose words it reports, as context (the word is still the outlet's"
                                      " choice); null otherwise, and always null when `attributed` is set")
    rule: str = Field(description="Stable id of the lexicon entry that fired")
    phrase: Phrase = Field(description="The expression the word belongs to and loads (\"savage gunmen\" for"
                           " \"savage\", a run of coordinated adjectives), found in the parse; the mark and the"
                           " alternatives stay on `text`. Equal to the term's own offsets when the word stands alone")


class Voice(_Model):
    count: int = Field(ge=0, description="Loaded terms in this voice")
    words: int = Field(ge=0, description="Words of the article in this voice")
    per_1000_words: float = Field(ge=0, description="count per 1,000 of this voice's own words (not the whole"
                                  " article's): a short loaded introduction to a long quotation is not diluted")
    by_category: dict[str, int]


class Stats(_Model):
    words: int = Field(ge=0)
    terms_per_1000_words: float = Field(ge=0, description="All loaded terms per 1,000 words of the whole article")
    author: Voice = Field(description="Loaded terms in the outlet's own voice (reported speech included), over the"
                          " words outside quotations, quote blocks and introduced quotations")
    quoted: Voice = Field(description="Loaded terms in someone else's words, over the words quoted")
    by_category: dict[str, int]
    severity: dict[Literal["1", "2", "3"], int]
    author_loaded_level: Literal["low", "elevated", "high"] = Field(
        description="How loaded the outlet's own wording is: `author.per_1000_words` against ordinary news")
    elapsed_ms: float = Field(ge=0)
    cached: bool = Field(False, description="True when the answer came from the response cache")


class AnalyzeResponse(_Model):
    mentions: list[Mention]
    terms: list[Term]
    cards: dict[str, Card]
    pending: list[str] = Field(description="Ids the server could not finish inside the deadline: GET /cards")
    stats: Stats
    version: str


# -- the other routes ----------------------------------------------------------------------------


class CardsResponse(_Model):
    cards: dict[str, Card]
    pending: list[str]


class LookupResponse(_Model):
    card: Card | None


class KnowledgeHealth(_Model):
    entities: int
    sources: list[str]


class OnlineHealth(_Model):
    enabled: bool
    wikipedia: Literal["unknown", "reachable", "unreachable"] = Field(
        description="What the server's last calls to Wikipedia did: unknown before the first; while unreachable,"
                    " cards come from the embedded knowledge base only")
    reachable: bool | None = Field(description="`wikipedia` as a boolean: null while unknown")


class HealthResponse(_Model):
    status: Literal["ok", "loading"]
    version: str
    model: str
    knowledge: KnowledgeHealth
    online: OnlineHealth


class ErrorBody(_Model):
    code: str
    message: str
    field: str | None = None
    limit: int | str | None = None


class ErrorResponse(_Model):
    error: ErrorBody
