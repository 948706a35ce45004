"""The Python API: ``ClusterQA`` ties the pipeline together; the CLI and the app call only this.

    qa = ClusterQA(corpus_dir="corpus", index_dir="index")
    ans = qa.ask("Which cluster ranks first?")
    print(ans.text, ans.citations[0].location)
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import answering, retrieval
from .conversation import DEMONYMS, Resolved, resolve
from .embedding import SentenceTransformerEmbedder, get_embedder
from .entities import EntityIndex, build_entities
from .errors import (
    ClusterQAError,
    IndexDamagedError,
    IndexMismatchError,
    QuestionError,
    SourceError,
)
from .indexing import Progress, build, stale_files
from .loaders import SUPPORTED
from .models import Answer, BuildReport, Passage, RetrievalMode, SourceInfo
from .settings import Settings
from .store import CURRENT, IndexData, build_lock, check_compatible, load_index
from .tables import TableRoute
from .textcheck import check_history, check_text, printable
from .textnorm import terms

log = logging.getLogger(__name__)

STALE_CHECK_SECONDS = 5.0
MAX_NAME = 120  # characters of an uploaded file's name kept in the corpus


def check_question(question: Any, limit: int) -> str:
    """The question, stripped; a QuestionError (a ValueError) says what is wrong otherwise."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    check_text(question, "the question")
    q = question.strip()
    if not q:
        raise QuestionError("the question is empty — type a question about innovation clusters")
    if len(q) > limit:
        raise QuestionError(f"the question is {len(q)} characters long; the limit is {limit} "
                            "(CLUSTERQA_MAX_QUESTION_CHARS) — shorten it")
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in q):
        raise QuestionError("the question contains control characters — type plain text")
    if not re.search(r"\w", q):
        raise QuestionError("the question has no words — type a question about innovation "
                            "clusters")
    return re.sub(r"\s+", " ", q)


def check_options(top_k: int | None, mode: str) -> None:
    """Refuse a ``top_k`` or retrieval mode the settings would not accept."""
    if top_k is not None and not (isinstance(top_k, int) and 1 <= top_k <= 50):
        raise QuestionError(f"top_k must be a whole number from 1 to 50, not {top_k!r}")
    if mode not in ("hybrid", "dense", "keyword"):
        raise QuestionError(f"mode must be 'hybrid', 'dense' or 'keyword', not {mode!r}")


def safe_name(name: str) -> str:
    """A file name safe to write inside the corpus: no folders, no dot-files, no odd bytes."""
    base = re.split(r"[\\/]", name)[-1]
    base = re.sub(r"[^\w.\- ]", "_", base).strip(" .")
    base = re.sub(r"\s+", "_", base)
    if not base or base.startswith(".") or base.lower() == "sources.toml":
        raise SourceError(f"'{printable(name)}' is not a usable file name — rename the file")
    stem, suffix = os.path.splitext(base)
    if len(base) > MAX_NAME and len(suffix) < 16:  # shorten the stem, keep the extension
        return stem[:MAX_NAME - len(suffix)] + suffix
    return base[:MAX_NAME]


def _copy_all(plan: list[tuple[Path, Path]]) -> None:
    """Copy every file beside its target first, then rename them all into place: a full disk
    or a read-only corpus folder stops the batch before any file is added."""
    staged: list[tuple[Path, Path]] = []
    try:
        for src, target in plan:
            tmp = target.with_name(f".{target.name}.upload")
            staged.append((tmp, target))
            shutil.copyfile(src, tmp)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        folder = plan[0][1].parent
        raise SourceError(f"cannot copy into the corpus folder {folder}: "
                          f"{exc.strerror or exc} — free disk space or make the folder "
                          "writable; nothing was added") from None
    for tmp, target in staged:
        tmp.replace(target)


def _check_readable(path: Path, name: str, max_mb: float) -> None:
    """Refuse a file the index could not read, before it is copied into the corpus."""
    from .loaders import load

    try:
        load(path, name, None, max_mb=max_mb)
    except SourceError as exc:
        raise SourceError(f"{printable(path.name)} cannot be read: {exc}; nothing was "
                          "added") from None
    except (OSError, RecursionError, ValueError) as exc:
        raise SourceError(f"{printable(path.name)} cannot be read ({exc}); nothing was "
                          "added") from None


@dataclass(frozen=True)
class Live:
    """The loaded index generation and the names its tables hold."""

    data: IndexData
    entities: EntityIndex
    tables: TableRoute


class ClusterQA:
    """Questions answered from a corpus folder through an index folder."""

    def __init__(self, corpus_dir: str | Path | None = None, index_dir: str | Path | None = None,
                 settings: Settings | None = None, **overrides: Any) -> None:
        base = settings or Settings()
        changes = dict(overrides)
        if corpus_dir is not None:
            changes["corpus_dir"] = Path(corpus_dir)
        if index_dir is not None:
            changes["index_dir"] = Path(index_dir)
        self.settings = Settings.model_validate({**base.model_dump(), **changes})
        self._live: Live | None = None
        self._current_stamp: float | None = None
        self._stale: tuple[float, list[str]] = (0.0, [])
        self._lock = threading.RLock()

    # --- model and index -------------------------------------------------------------------

    @property
    def embedder(self) -> SentenceTransformerEmbedder:
        return get_embedder(self.settings.model)

    def _pointer_stamp(self) -> float | None:
        try:
            return (self.settings.index_dir / CURRENT).stat().st_mtime_ns
        except (FileNotFoundError, NotADirectoryError):
            return None

    def _load(self) -> Live | None:
        """The live index and the names it knows, reloaded when another process switched
        generations. Both come as one pair, so a request never mixes two generations."""
        stamp = self._pointer_stamp()
        with self._lock:
            if self._live is not None and stamp == self._current_stamp:
                return self._live
            try:
                data = self._read_index(stamp)
            except IndexDamagedError as exc:
                if self._live is None:
                    raise
                # Keep answering from the generation already in memory; a repair switches
                # CURRENT again, which changes the stamp and reloads.
                log.warning("keeping the index loaded earlier: %s", exc)
                self._current_stamp = stamp
                return self._live
            if data is not None:
                check_compatible(data.manifest, self.embedder.name, self.embedder.dimension,
                                 self.settings.chunk_chars, self.settings.chunk_overlap)
            self._live = Live(data, build_entities(data), TableRoute(data)) if data else None
            self._current_stamp = stamp
            self._stale = (0.0, [])
            return self._live

    def _read_index(self, stamp: float | None) -> IndexData | None:
        """Load the live generation; a concurrent build may switch and remove a generation
        while it is read, so a read that fails while CURRENT changed is tried again."""
        for attempt in range(3):
            try:
                return load_index(self.settings.index_dir)
            except (FileNotFoundError, IndexDamagedError):
                if attempt == 2 or self._pointer_stamp() == stamp:
                    raise
                stamp = self._pointer_stamp()
                time.sleep(0.05)
        return None  # pragma: no cover - the loop returns or raises

    def ensure_index(self, progress: Progress | None = None) -> BuildReport | None:
        """Build the index when there is none, or rebuild it when it was built under other
        settings; returns the report of that build, if any."""
        try:
            if self._load() is not None:
                return None
        except (IndexMismatchError, IndexDamagedError) as exc:
            log.warning("rebuilding the index: %s", exc)
        return self.build_index(progress=progress)

    def build_index(self, full: bool = False, progress: Progress | None = None) -> BuildReport:
        """Bring the index up to date with the corpus (only changed files are embedded).

        Raises IndexBusyError when another build of this index runs. The previous index keeps
        answering until the new one is complete and switched in."""
        with build_lock(self.settings.index_dir):
            report = build(self.settings, self.embedder, full=full, progress=progress)
        self._load()
        return report

    def add_sources(self, paths: list[str | Path], overwrite: bool = False,
                    progress: Progress | None = None) -> BuildReport:
        """Copy files into the corpus (names made safe) and update the index.

        Every file is checked (and read, as the index would read it) before any is copied, so
        a refused batch changes nothing and no unreadable file enters the corpus."""
        corpus = self.settings.corpus_dir
        corpus.mkdir(parents=True, exist_ok=True)
        limit = self.settings.max_file_mb * 2**20
        plan: list[tuple[Path, Path]] = []
        named: dict[str, str] = {}
        for p in map(Path, paths):
            name = safe_name(p.name)
            if name in named:
                raise SourceError(f"{printable(named[name])} and {printable(p.name)} would both "
                                  f"be saved as {name} — rename one of them; nothing was added")
            named[name] = p.name
            if Path(name).suffix.lower() not in SUPPORTED:
                raise SourceError(f"{printable(p.name)}: unsupported file type — use one of "
                                  f"{' '.join(sorted(SUPPORTED))}")
            if not p.is_file():
                raise SourceError(f"{printable(str(p))}: no such file")
            if p.stat().st_size > limit:
                raise SourceError(f"{p.name}: {p.stat().st_size / 2**20:.1f} MiB is over the "
                                  f"{self.settings.max_file_mb:g} MiB limit")
            _check_readable(p, name, self.settings.max_file_mb)
            target = corpus / name
            if target.exists() and not overwrite:
                raise SourceError(f"{name} is already in the corpus — choose overwrite to "
                                  "replace it, or rename the file")
            plan.append((p, target))
        _copy_all(plan)
        return self.build_index(progress=progress)

    def sources(self) -> list[SourceInfo]:
        live = self._load()
        if live is None:
            return []
        return [SourceInfo(path=rel, **e.model_dump(exclude={"hash"}))
                for rel, e in live.data.manifest.files.items()]

    def stale_sources(self) -> list[str]:
        """Files added, changed or removed since the build (checked at most every few seconds)."""
        live = self._load()
        if live is None:
            return []
        checked, stale = self._stale
        if time.monotonic() - checked > STALE_CHECK_SECONDS:
            try:
                stale = stale_files(self.settings, live.data.manifest)
            except ClusterQAError:
                stale = []
            self._stale = (time.monotonic(), stale)
        return stale

    # --- questions -------------------------------------------------------------------------

    def _ready(self) -> tuple[Live, list[str]]:
        notices = []
        live = self._load()
        if live is None:
            report = self.build_index()
            notices.append(f"There was no index yet, so it was built first: {report.chunks} "
                           f"chunks from {len(report.added)} files in {report.seconds:.1f} s.")
            live = self._load()
            if live is None:  # pragma: no cover - build_index always writes one
                raise ClusterQAError("the index could not be built")
        stale = self.stale_sources()
        if stale:
            notices.append(f"The corpus changed since the index was built ({', '.join(stale[:5])}"
                           f"{' …' if len(stale) > 5 else ''}); run `clusterqa index` to update.")
        return live, notices

    def retrieve(self, question: str, top_k: int | None = None, mode: RetrievalMode = "hybrid",
                 history: list[Any] | None = None) -> list[Passage]:
        """The passages ranked highest for a question: retrieved by ``mode``, then ordered by
        their best sentence as the answerer scores it (no answer composed)."""
        q = check_question(question, self.settings.max_question_chars)
        check_options(top_k, mode)
        turns = self._history(history)
        live, _ = self._ready()
        data = live.data
        _, hits, ranked = self._rank(live, resolve(q, turns).text, mode, focus=q)
        by_id = {h.chunk_id: h for h in hits}
        out = []
        for cid, score in answering.rank_chunks(data, ranked)[:top_k or self.settings.top_k]:
            chunk, hit = data.chunks[cid], by_id.get(cid)
            out.append(Passage(chunk_id=cid, source=chunk.source,
                               title=data.manifest.files[chunk.source].title,
                               location=chunk.locator.label, text=chunk.text,
                               score=round(score, 5), dense_rank=hit and hit.dense_rank,
                               keyword_rank=hit and hit.keyword_rank))
        return out

    def _rank(self, live: Live, text: str, mode: RetrievalMode, focus: str | None = None
              ) -> tuple[answering.Query, list[retrieval.Hit], list[answering.Scored]]:
        """Embed the question once, retrieve, and score the candidate sentences."""
        vector = self.embedder.encode([text])[0]
        query = answering.make_query(text, vector, live.entities, focus,
                                         live.data.proper_words)
        hits = retrieval.search(live.data, query.terms, query.vector, mode,
                                answering.RETRIEVED_CHUNKS)
        return query, hits, answering.score_sentences(live.data, query, hits,
                                                      widen=mode == "hybrid",
                                                      entities=live.entities)

    def ask(self, question: str, history: list[Any] | None = None, top_k: int | None = None,
            mode: RetrievalMode = "hybrid") -> Answer:
        """Answer a question with numbered citations, or say the sources do not answer it.

        ``history`` holds the earlier turns, oldest first: plain strings are earlier user
        questions; Gradio-style ``{"role": ..., "content": ...}`` messages work too."""
        started = time.perf_counter()
        q = check_question(question, self.settings.max_question_chars)
        check_options(top_k, mode)
        turns = self._history(history)
        parts = split_compound(q)
        if parts:  # "Which firm is the anchor tenant, and how many staff does it have?"
            first = self.ask(parts[0], turns, top_k, mode)
            found = (_new_name(re.sub(r"\[\d+\]", "", first.text), parts[0])
                     if not first.abstained and _WHICH_OR_WHO.match(parts[0]) else None)
            if found and _IT.search(parts[1]):  # "…, and how many staff does it have?": the
                # thing the first part found, not the one it named
                second = self.ask(_IT.sub(lambda m: f"{found}'s" if m.group().lower() in
                                          ("its", "their") else found, parts[1], count=1),
                                  turns, top_k, mode)
            else:
                second = self.ask(parts[1], [*turns, parts[0]], top_k, mode)
            joined = join_answers(q, first, second)
            joined.seconds = round(time.perf_counter() - started, 4)
            return joined
        live, notices = self._ready()

        def prose() -> Answer:
            text, item, focus = self._follow_up(live, resolve(q, turns), mode, q)
            query, _, ranked = self._rank(live, text, mode, focus=focus)
            return answering.compose(live.data, live.entities, query, ranked, q,
                                     top_k or self.settings.top_k, ordinal_item=item,
                                     encode=self.embedder.encode)

        answer = live.tables.answer(q, turns, prose)
        if answer is None:
            answer = prose()
        elif turns:  # a follow-up: say how it was understood, as the prose route does
            resolved = resolve(q, turns)
            if resolved.substitute and resolved.previous:
                answer.resolved_question = _swap(resolved.previous, resolved.substitute,
                                                 live.entities)
        answer.notices = notices
        answer.seconds = round(time.perf_counter() - started, 4)
        return answer

    def _history(self, history: Any) -> list[str]:
        """The recent earlier questions, within the history limits of the settings."""
        return check_history(history, self.settings.max_history_turns,
                             self.settings.max_history_chars)

    def _computed_subject(self, live: Live, previous: str) -> str | None:
        """The thing a computed answer to an earlier question named first (its first row)."""
        computed = live.tables.answer(previous)
        if computed is None or computed.abstained or not computed.citations:
            return None
        row = computed.citations[0]
        return live.entities.row_entity(row.source, row.table) if row.table else None

    def _answer_subject(self, live: Live, previous: str, mode: RetrievalMode) -> str | None:
        """What the answer to an earlier question was about (its row's name, or the first
        name its sentence holds). A computed answer ("Which cluster came out on top?") is
        the one the user saw, so its first row names the thing before the prose ranking does."""
        computed = self._computed_subject(live, previous)
        if computed:
            return computed
        _, _, prior = self._rank(live, previous, mode)
        if not prior or prior[0].support < answering.MIN_SUPPORT:
            return None
        best = live.data.sentences[prior[0].sid]
        return (live.entities.row_entity(best.source, best.table) if best.table
                else None) or next(iter(live.entities.find(best.text)), None)

    def _follow_up(self, live: Live, resolved: Resolved, mode: RetrievalMode, question: str
                   ) -> tuple[str, int | None, str]:
        """The text to answer, for "the third one" the list item meant, and the user's question
        as it is meant ("What about Seoul?" is the earlier question about Seoul; "When did it
        open?" is about the thing the turn before answered with)."""
        data, entities = live.data, live.entities
        if resolved.previous is None:  # standalone, or rewritten whole ("the year before?")
            return resolved.text, None, resolved.text
        other = (_the_other(resolved.substitute, resolved.previous, entities)
                 if resolved.substitute else None)
        if other:  # "what about the other park?": the one other thing of that kind
            swapped = _swap(resolved.previous, other, entities)
            return swapped, None, swapped
        attribute = resolved.substitute is not None and not _names_or_dates(
            resolved.substitute, entities)
        if resolved.substitute and not attribute:  # "what about Seoul?": about Seoul instead
            swapped = _swap(resolved.previous, resolved.substitute, entities)
            return swapped, None, swapped
        # "it" is the thing the earlier question named ("Who directs X?" / "When did it open?");
        # a person ("he", "she") or an unnamed thing is what the earlier answer was about
        plain = resolved.ordinal is None and resolved.country is None
        named = (_named_thing(resolved.previous, entities)
                 if plain and not _PERSON.search(question) else None)
        if attribute:  # "and its budget?": the new question, about the same thing
            subject = named or self._answer_subject(live, resolved.previous, mode)
            if subject:
                return f"{question} {subject}", None, f"{question} (about {subject})"
        if named:
            country = _country_of(named, entities) if _OWNER.search(question) else None
            if country:  # "How many clusters does its country have?" after Paris: France's
                asked = _OWNER.sub(country, question)
                return asked, None, asked
            return f"{resolved.text} {named}", None, f"{question} (about {named})"
        _, _, prior = self._rank(live, resolved.previous, mode)
        if not prior or prior[0].support < answering.MIN_SUPPORT:
            return resolved.text, None, question
        best = data.sentences[prior[0].sid]
        if resolved.country:
            match = entities.of_country(entities.find(data.chunks[best.chunk].text),
                                        resolved.country)
            if match:
                return f"{resolved.text} {match}", None, question
        if resolved.ordinal is not None:
            item = answering._list_item(data, prior[0].sid, resolved.ordinal)
            if item is not None:
                return resolved.text, item, question
        subject = self._computed_subject(live, resolved.previous) or (
            entities.row_entity(best.source, best.table) if best.table else None) \
            or next(iter(entities.find(best.text)), None)
        if not subject:
            return resolved.text, None, question
        return f"{resolved.text} {subject}", None, f"{question} (about {subject})"


# A second question joined to the first: ", and how many…", " and when…"
_SECOND = re.compile(r",?\s+and\s+(?=(?:who|what|when|where|which|how)\b)", re.IGNORECASE)


def split_compound(question: str) -> tuple[str, str] | None:
    """The two questions of "Who designed X, and when did it open?", each of three words or
    more; None for one question ("How many companies and staff…", "which rose and which fell")."""
    m = _SECOND.search(question)
    if m is None:
        return None
    a, b = question[:m.start()].strip(" ,"), question[m.end():].strip()
    if len(a.split()) < 3 or len(b.split()) < 3:
        return None
    return (a if a.endswith("?") else f"{a}?"), b[:1].upper() + b[1:]


_WHICH_OR_WHO = re.compile(r"^\s*(?:which|who)\b", re.IGNORECASE)
_IT = re.compile(r"\b(?:it|its|they|their)\b", re.IGNORECASE)


def _new_name(text: str, previous: str) -> str | None:
    """The first name of two or more capitalised words in ``text`` that ``previous`` did not
    use ("Our anchor tenant is Belcastro Instruments" after "Which company is …?")."""
    asked = set(terms(previous))
    for run in _RUN.findall(text):
        if len(run.split()) >= 2 and not set(terms(run)) <= asked:
            return run.rstrip(".")
    return None


def join_answers(question: str, first: Answer, second: Answer) -> Answer:
    """One answer to both parts: each part's cited sentences, the second's markers numbered
    on; a part the sources do not answer is left out (both unanswered: the first abstention)."""
    if second.abstained or second.text == first.text:
        return first.model_copy(update={"question": question})
    if first.abstained:
        return second.model_copy(update={"question": question})
    bare = re.sub(r"\s*\[\d+\]", "", first.text).strip()
    if bare and bare in second.text:  # the second answer already says the first
        return second.model_copy(update={
            "question": question,
            "resolved_question": f"{first.resolved_question} / {second.resolved_question}"})
    if [c.quote for c in first.citations] == [c.quote for c in second.citations]:
        longer = max(first, second, key=lambda a: len(a.text))  # one passage says both
        return longer.model_copy(update={"question": question})
    numbers = {c.quote: c.number for c in first.citations}  # a passage cited by both: one number
    cites = list(first.citations)
    renumber: dict[int, int] = {}
    for c in second.citations:
        if c.quote not in numbers:
            numbers[c.quote] = len(cites) + 1
            cites.append(c.model_copy(update={"number": numbers[c.quote]}))
        renumber[c.number] = numbers[c.quote]
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{renumber.get(int(m.group(1)), m.group(1))}]",
                  second.text)
    return first.model_copy(update={
        "question": question, "text": f"{first.text} {text}",
        "resolved_question": f"{first.resolved_question} / {second.resolved_question}",
        "citations": cites, "conflict": first.conflict or second.conflict})


_PERSON = re.compile(r"\b(?:he|she|his|her|him)\b", re.IGNORECASE)
_YEARISH = re.compile(r"\b(?:19|20)\d\d\b")
_RUN = re.compile(r"[A-Z][\w\u2019'&.-]*(?:\s+(?:(?:of|de|for|and|the)\s+)?[A-Z][\w\u2019'&.-]*)*")


_OWNER = re.compile(r"\b(?:its|their)\s+(?:country|economy|nation)\b", re.IGNORECASE)


def _country_of(name: str, entities: EntityIndex) -> str | None:
    """The economy the tables place a thing in: a name in its rows that stands under a
    country or economy column."""
    return next((m for m in sorted(entities.row_mates.get(name, set()))
                 if any(re.search(r"econom|countr|nation", k)
                        for k in entities.kinds.get(m, set()))), None)


def _names_or_dates(text: str, entities: EntityIndex) -> bool:
    """Whether a follow-up's new words name a thing or a year ("what about Seoul?", "and in
    2023?") rather than a new thing to ask ("and its budget?")."""
    return bool(_YEARISH.search(text) or entities.find(text) or text[:1].isupper())


def _named_thing(question: str, entities: EntityIndex) -> str | None:
    """The thing a question names: one the tables know, or its longest run of capitalised
    words past the first ("Who directs the Quillon Bay Tech Hub?")."""
    # a name the tables know, as the user wrote it: capitalised ("employees" is no name, even
    # where a table lists "Employees" as a row)
    for alias, name in entities.mentions(question):
        m = re.search(r"\b" + r"\W+".join(map(re.escape, alias.split())) + r"\b", question,
                      re.IGNORECASE)
        if m and m.group()[:1].isupper():
            return name
    runs = [m.group() for m in _RUN.finditer(question)
            if m.start() > 0 and m.group().lower() not in DEMONYMS]  # "Chinese" names no thing
    runs = [r for r in runs if len(r.split()) > 1 or not r.isupper()]
    return max(runs, key=len, default=None)


_OTHER = re.compile(r"^(?:the\s+)?other(?:\s+[\w-]+){0,3}$", re.IGNORECASE)


def _the_other(phrase: str, previous: str, entities: EntityIndex) -> str | None:
    """For "the other park", the one thing the tables list beside the one the earlier question
    named, under the same column; None when there are several others to choose from."""
    if not _OTHER.match(phrase.strip()):
        return None
    named = entities.find(previous)
    if not named:
        return None
    kinds = entities.kinds.get(named[0], set())
    others = sorted(n for n, k in entities.kinds.items() if k & kinds and n != named[0])
    return others[0] if len(others) == 1 else None


def _swap(previous: str, new: str, entities: EntityIndex) -> str:
    """The earlier question about ``new`` instead: a year for its year ("and in 2023?"), a name
    for its name ("what about Seoul?"), or else the earlier question with ``new`` added."""
    year = re.search(r"\b(?:19|20)\d\d\b", new)
    old_year = re.search(r"\b(?:19|20)\d\d\b", previous)
    if year and old_year and not entities.find(new):
        return previous[:old_year.start()] + year.group() + previous[old_year.end():]
    named = entities.find(previous)
    if named and (entities.find(new) or new[:1].isupper()):  # a name, known or not
        return entities.replace(previous, named[0], new)
    return f"{previous} {new}"


_DEFAULT: ClusterQA | None = None
_DEFAULT_LOCK = threading.Lock()


def ask(question: str, history: list[Any] | None = None, top_k: int | None = None) -> Answer:
    """Ask the default corpus (``corpus/``, index in ``index/``, or CLUSTERQA_* settings)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = ClusterQA()
    return _DEFAULT.ask(question, history=history, top_k=top_k)

