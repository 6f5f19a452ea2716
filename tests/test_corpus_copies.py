"""Near copies at ingestion: syndicated and updated versions of an article."""

import json
import random
from datetime import datetime
from pathlib import Path

from timeline import load_corpus
from timeline.corpus.copies import COPY_JACCARD, estimated_jaccard, find_copies, signature
from timeline.types import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
CORPUS = ROOT / "fixtures" / "corpus"

ARTICLE = (
    "Pasukan pemerintah Suriah merebut kembali kota Saraqeb di Provinsi Idlib pada Senin "
    "(24/2/2020) setelah pertempuran sengit selama tiga hari melawan kelompok pemberontak. "
    "Menurut Observatorium Suriah untuk Hak Asasi Manusia, sedikitnya 40 orang tewas dalam "
    "pertempuran itu, termasuk 12 warga sipil yang terjebak di pusat kota. Ribuan warga "
    "mengungsi ke arah perbatasan Turki, sementara Ankara mengirim konvoi militer ke pos "
    "pengamatan di sekitar kota tersebut. Kementerian Pertahanan Rusia menyatakan jet-jet "
    "tempurnya tidak terlibat dalam serangan darat.")
OTHER = (
    "Saraqeb kembali dikuasai tentara Suriah pada awal pekan ini. Sumber oposisi mengatakan "
    "para pejuang mundur ke barat untuk menghindari pengepungan, dan mereka berencana "
    "melancarkan serangan balasan bersama pasukan Turki dalam beberapa hari mendatang. Warga "
    "yang tersisa melaporkan listrik dan air bersih terputus sejak Minggu malam.")


def _doc(doc_id, text, day="2020-02-24", source=None):
    return Document(doc_id, text, datetime.fromisoformat(day), "id", source)


def test_syndicated_and_updated_copies_are_found_and_other_articles_are_not():
    documents = [
        _doc("orig", ARTICLE, source="Kabar Dunia"),
        _doc("synd", "SARAQEB, Portal Lain - " + ARTICLE + " Baca juga: berita Suriah lainnya.",
             source="Portal Lain"),
        _doc("update", ARTICLE + " Pembaruan: jumlah korban tewas naik menjadi 46 orang.",
             day="2020-02-25", source="Kabar Dunia"),
        _doc("other", OTHER, source="Warta Timur"),  # the same event, its own words
    ]
    copies = find_copies(documents)
    assert copies.original == {"synd": "orig", "update": "orig"}
    assert copies.copies_of("orig") == ["synd", "update"]
    assert all(copies.similarity[d] >= COPY_JACCARD for d in ("synd", "update"))
    assert copies.outlet("update", None) == "Kabar Dunia"
    assert estimated_jaccard(signature(ARTICLE), signature(OTHER)) < 0.1


def test_the_original_is_the_earliest_then_the_shortest_whatever_the_order():
    documents = [_doc("z-late", ARTICLE + " Tambahan.", day="2020-02-26"),
                 _doc("y-long", ARTICLE + " Dengan satu kalimat tambahan di akhir."),
                 _doc("x-short", ARTICLE)]
    for _ in range(5):
        random.shuffle(documents)
        assert find_copies(documents).original == {"z-late": "x-short", "y-long": "x-short"}


def test_thousands_of_copies_make_one_group_without_comparing_all_pairs():
    documents = [_doc(f"copy-{k:04d}", f"Outlet {k} - {ARTICLE} Sumber: outlet {k}.",
                      source=f"outlet-{k}") for k in range(2000)]
    copies = find_copies(documents)
    assert len(copies) == 1999 and set(copies.original.values()) == {"copy-0000"}


def test_texts_without_words_are_no_ones_copies():
    copies = find_copies([_doc("a", "!!! ..."), _doc("b", "!!! ..."), _doc("c", ARTICLE)])
    assert copies.original == {}


def test_the_ingest_report_says_which_documents_are_copies_of_which(tmp_path):
    rows = [{"id": f"{k}", "text": (f"outlet-{k} — " if k else "") + ARTICLE,
             "published": "2020-02-24", "lang": "id", "source": f"outlet-{k}"} for k in range(3)]
    rows.append({"id": "same", "text": ARTICLE, "published": "2020-02-24", "lang": "id",
                 "source": "outlet-9"})  # an exact copy: a duplicate, as before
    path = tmp_path / "copies.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    corpus = load_corpus([path])
    entries = {e["id"]: e for e in corpus.report.to_dict()["entries"]}
    assert entries["1"]["copy_of"] == "0" and entries["2"]["copy_of"] == "0"
    assert entries["0"]["copies"] == ["1", "2"] and "copy_of" not in entries["0"]
    assert entries["same"]["status"] == "duplicate"
    assert corpus.copies.also_published_by == {"0": ("outlet-9",)}
    assert [d.id for d in corpus.documents] == ["0", "1", "2"]  # copies are kept


def test_the_html_page_of_a_seed_article_is_a_copy_of_its_text():
    corpus = load_corpus([CORPUS / "txt", CORPUS / "html"])
    (page,) = [d for d in corpus.documents if d.provenance.input.endswith(".html")]
    assert corpus.copies.original_of(page.id) == "002_8b66920482849b85"
