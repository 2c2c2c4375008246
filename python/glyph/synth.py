"""`glyph synth` from Python, in one process or spread over a Dask cluster (docs/synth.md).

    from glyph import synth
    synth.run(["kjv.txt"], "out", tasks=["ocr"], samples=1000, seed=1)
    from dask.distributed import Client
    synth.run_dask(Client("scheduler:8786"), ["/shared/kjv.txt"], "/shared/out", samples=10**6, seed=1)

Every sample is a pure function of (inputs, options, seed, index), so any process that builds the
same SynthJob renders a shard to the same bytes; run_dask sends each worker shard numbers, the
workers render them (GIL released), and the client writes data.jsonl and manifest.json. The
output equals a single-process run with the same options. Inputs and the output folder must be
the same paths on every worker (a shared file system on a multi-node cluster).
"""
import json

from ._core import SynthJob, SynthShard, check_synth_dataset, style_themes


def run(inputs, out, **options):
    """Every shard in this process, then data.jsonl and manifest.json; returns the manifest (dict)."""
    return json.loads(SynthJob(inputs, out, **options).run())


def _render_shards(inputs, out, options, shards):
    # On a worker: one SynthJob for the batch (it loads the inputs and fonts once).
    job = SynthJob(inputs, out, **options)
    return [(r.shard, r.samples, r.pages, r.already_done) for r in (job.run_shard(s) for s in shards)]


def run_dask(client, inputs, out, *, shards_per_task=1, progress=None, **options):
    """Renders the shards on a dask.distributed cluster, then finishes here; returns the manifest.

    `client`: a dask.distributed.Client. `shards_per_task`: shards per Dask task (more amortises
    loading the inputs on a worker). `progress(shards_done, shard_count, pages)` is called as
    tasks finish. The options are SynthJob's keywords (tasks, samples, seed, styles, ...).
    Resumable: shards complete on disk are skipped.
    """
    from dask.distributed import as_completed

    if shards_per_task < 1:
        raise ValueError("shards_per_task must be >= 1")
    inputs = [str(p) for p in inputs]
    out = str(out)
    job = SynthJob(inputs, out, **options)  # checks the options and writes synth_options.json first
    numbers = list(range(job.shard_count))
    batches = [numbers[i:i + shards_per_task] for i in range(0, len(numbers), shards_per_task)]
    futures = [client.submit(_render_shards, inputs, out, options, b, pure=False) for b in batches]
    done = pages = 0
    for future in as_completed(futures):
        for _, _, shard_pages, _ in future.result():
            done += 1
            pages += shard_pages
        if progress:
            progress(done, len(numbers), pages)
    return json.loads(job.finish())


__all__ = ["SynthJob", "SynthShard", "check_synth_dataset", "run", "run_dask", "style_themes"]
