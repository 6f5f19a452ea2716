"""The build: the stages composed over a corpus, in batches, on local workers or Dask.

- :mod:`~timeline.pipeline.driver`: :func:`build` (a corpus to its output folder),
  :func:`build_chronology` and :func:`load_corpus` for notebooks;
- :mod:`~timeline.pipeline.documents`: the per-document work (tag, read mentions);
- :mod:`~timeline.pipeline.run`: one build's run (work folder, where tasks execute);
- :mod:`~timeline.pipeline.tasks`: the per-batch tasks, plain functions of picklable data;
- :mod:`~timeline.pipeline.pool` and :mod:`~timeline.pipeline.cluster`: local worker
  processes and a Dask cluster;
- :mod:`~timeline.pipeline.outputs`: a run's files, written together or not at all;
- :mod:`~timeline.pipeline.lines`: `timeline tag`'s JSON Lines in, JSON Lines out.

The stages below (corpus, temporal, events, chronology, charts, evaluation) never
import this package; the command line (:mod:`timeline.cli`) sits above it. This
file imports nothing, so that `timeline tag` (:mod:`~timeline.pipeline.lines`) does
not load what a build needs (polars, the merge); the public functions are
``timeline.build``, ``timeline.build_chronology`` and ``timeline.load_corpus``.
"""
