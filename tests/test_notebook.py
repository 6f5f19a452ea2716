"""A good notebook citizen: short reprs, the public API in dir(), no printing unless asked."""

from __future__ import annotations

import inspect
from pathlib import Path

import timeline
from timeline.corpus import Corpus, IngestReport, ReportEntry
from timeline.types import Document

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Pasukan Turki tewas di Idlib pada hari Kamis. " * 70  # ~3,200 characters


def _corpus(n: int) -> Corpus:
    documents = [Document(f"d{i:04d}", TEXT, lang="id" if i % 2 else "en") for i in range(n)]
    entries = tuple(ReportEntry(f"in/{i}.txt", "loaded", id=f"d{i:04d}") for i in range(n))
    return Corpus(documents, IngestReport(entries))


def test_the_corpus_repr_is_one_short_line():
    text = repr(_corpus(1000))
    assert text.startswith("Corpus(1,000 documents, 2 languages (en, id)")
    assert len(text) < 200 and "\n" not in text and "Pasukan" not in text


def test_a_list_of_documents_does_not_print_their_texts():
    corpus = _corpus(1000)
    assert len(repr(corpus.documents)) < 150_000  # the texts alone are 3.2 MB
    assert repr(corpus.documents[0]) == ("Document(id='d0000', lang='en', published=None, "
                                         f"source=None, {len(TEXT):,} characters)")
    assert "1,000 inputs: 1,000 loaded" in repr(corpus.report)


def test_build_prints_nothing_and_its_result_is_short(tmp_path, capsys):
    result = timeline.build([ROOT / "fixtures" / "seeds"], tmp_path, charts=False)
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    text = repr(result)
    assert text.startswith("BuildResult(5 documents, ") and len(text) < 200
    assert "shape" not in text  # no polars table
    assert result.report is not None and result.report.counts()["loaded"] == 5


def test_the_public_api_is_in_all_and_dir():
    for name in ("load_corpus", "build", "build_chronology", "chart", "tag", "resolve",
                 "tag_document", "Document", "Timex"):
        assert name in timeline.__all__, name
        assert name in dir(timeline), name
        assert getattr(timeline, name) is not None


def test_public_functions_have_type_hints():
    import timeline.corpus
    import timeline.temporal

    modules = (timeline, timeline.temporal, timeline.corpus)
    for module in modules:
        for name in module.__all__:
            thing = getattr(module, name)
            if not inspect.isfunction(thing):
                continue
            signature = inspect.signature(thing)
            missing = [p for p, param in signature.parameters.items()
                       if param.annotation is inspect.Parameter.empty
                       and param.kind not in (param.VAR_KEYWORD, param.VAR_POSITIONAL)]
            assert not missing, f"{module.__name__}.{name}: {missing} without a type"
            assert signature.return_annotation is not inspect.Signature.empty, name
