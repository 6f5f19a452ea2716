"""A build in a stream: the same outputs whatever the batches, blocks, workers or cluster.

The build reads, tags and extracts in batches, writes the mentions to partitioned
files and merges them by time blocks (timeline/pipeline/run.py). None of that may show in
what is written: every output file is compared byte for byte with the one of a
build in one batch, one block and this process.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest

from timeline.chronology.entries import event_id_text, merge_mentions, resolve_event_ids
from timeline.chronology.features import mention_rows
from timeline.chronology.rank import united_sketches
from timeline.chronology.timeblocks import (
    Block,
    block_edges,
    block_entries,
    join_blocks,
    plan_blocks,
)
from timeline.frames import CHRONOLOGY_SCHEMA
from timeline.pipeline import tasks
from timeline.pipeline.driver import build
from timeline.testing import copies_corpus, generate_mentions

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "fixtures" / "events" / "articles.jsonl"
SEEDS = ROOT / "fixtures" / "seeds"
#: Outlets that carry a copy of each seed article.
COPIES = 6


def _outputs(folder: Path) -> dict[str, bytes]:
    """Every file a build wrote, by name (not the lock file, which holds a process id)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The events fixture, the seeds, and 6 copies of the seeds from other outlets:
    several languages, copies, events told many times, statements years apart."""
    folder = tmp_path_factory.mktemp("corpus")
    copies_corpus(COPIES, folder / "copies.jsonl", seeds=SEEDS)
    (folder / "events.jsonl").write_bytes(EVENTS.read_bytes())
    return folder


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> dict[str, bytes]:
    """One batch (larger than the corpus), one time block, this process."""
    out = tmp_path_factory.mktemp("reference")
    result = build([corpus], out, charts=False, workers=1, batch_documents=100_000,
                   block_mentions=10**9)
    assert result.n_events > 20 and result.n_documents > 5 * COPIES
    return _outputs(out)


def test_the_reference_holds_the_corpus(reference):
    report = json.loads(reference["ingest_report.json"])
    assert report["counts"]["loaded"] == 5 * COPIES + sum(1 for line in EVENTS.read_text().splitlines()
                                            if line.strip())
    chronology = pl.read_parquet(reference["chronology.parquet"])
    # the seeds' events are told by COPIES outlets each (some by the events fixture's
    # outlets too): merged, not repeated
    assert chronology.filter(pl.col("n_sources") >= COPIES).height >= 20
    assert chronology["event_id"].n_unique() == chronology.height


@pytest.mark.parametrize(("workers", "batch_documents", "block_mentions", "shard_mentions"), [
    (1, 7, 10**9, None),     # many batches
    (1, 100_000, 25, None),  # many time blocks
    (2, 13, 40, None),       # worker processes, both
    (2, 7, 40, 30),          # and many shards, each of a few batches
])
def test_outputs_do_not_depend_on_batches_blocks_or_workers(
        corpus, reference, tmp_path, monkeypatch, workers, batch_documents, block_mentions,
        shard_mentions):
    if shard_mentions is not None:
        monkeypatch.setattr(tasks, "SHARD_MENTIONS", shard_mentions)
    out = tmp_path / "out"
    build([corpus], out, charts=False, workers=workers, batch_documents=batch_documents,
          block_mentions=block_mentions)
    got = _outputs(out)
    assert sorted(got) == sorted(reference)
    for name in reference:
        assert got[name] == reference[name], name


def merge_in_blocks(rows: pl.DataFrame, blocks: Sequence[Block]) -> pl.DataFrame:
    """The chronology of mention rows held in memory, merged block by block as a build
    merges them (``cluster`` kept): pairs per block, clusters of all, entries per block,
    event ids told apart over all blocks."""
    found = [block_edges(rows, first, end) for first, end in blocks]
    clusters = join_blocks(found)
    parts = [block_entries(rows, first, end, clusters) for first, end in blocks]
    entries = [p.entries for p in parts]
    if not entries:
        return pl.DataFrame(schema={**CHRONOLOGY_SCHEMA, "cluster": pl.UInt32})
    ids = resolve_event_ids(pl.concat([p.candidates for p in parts]),
                            united_sketches(pl.concat([p.days for p in parts])))
    if not entries:
        return pl.DataFrame(schema={**CHRONOLOGY_SCHEMA, "cluster": pl.UInt32})
    # ids and ranks are given over all blocks, as the build gives them
    frame = pl.concat(entries).drop("event_id", "rank").join(ids, on="cluster")
    frame = frame.with_columns(event_id_text(frame["event_hash"]))
    return frame.select(*CHRONOLOGY_SCHEMA, "cluster").sort(["earliest", "latest", "event_id"])


def test_the_merge_by_blocks_is_the_merge_at_once():
    """Generated mentions (heavily covered events among many small ones), cut into
    blocks of a few days: the same rows as the merge of all mentions at once."""
    mentions = generate_mentions(4000, seed=3, heavy=3, heavy_size=300)
    at_once = merge_mentions(mentions)
    rows = mention_rows(mentions)
    blocks = plan_blocks(rows["lo"].to_list(), block_mentions=150)
    assert len(blocks) > 10  # the cut is real
    blocked = merge_in_blocks(rows, blocks).drop("cluster")
    assert blocked.height == at_once.height
    assert blocked.to_dicts() == at_once.to_dicts()
    # the heavily covered events are single entries
    assert sorted(at_once["n_mentions"].to_list())[-3:] == [300, 300, 300]


def test_a_dask_cluster_writes_the_local_chronology(corpus, reference, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "out"
        result = build([corpus], out, charts=False, dask=cluster.scheduler_address,
                       work_dir=tmp_path / "work", batch_documents=17, block_mentions=40)
        assert result.n_events > 20
    got = _outputs(out)
    assert sorted(got) == sorted(reference)
    for name in reference:
        assert got[name] == reference[name], name
    assert not any((tmp_path / "work").iterdir())  # the run's files are removed


def test_no_scheduler_is_one_clear_error(corpus, tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    from timeline.cli import main
    from timeline.pipeline import cluster

    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 2)  # nothing will answer: no need to wait

    status = main(["build", str(corpus), "-o", str(tmp_path / "out"), "--no-charts",
                   "--dask", "tcp://127.0.0.1:9"])
    assert status == 2
    assert not (tmp_path / "out").exists()
