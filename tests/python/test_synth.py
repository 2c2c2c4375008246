"""glyph.synth: SynthJob shard by shard, and run_dask on a real LocalCluster giving the same
bytes as the single-process `glyph synth` run."""
import json
import os

import pytest

from conftest import run_cli
from glyph import synth


TEXT = "".join(f"Verse {i}. In the beginning was the word, and the word was rendered on page {i % 7}.\n"
               for i in range(400))


@pytest.fixture
def source(text_file):
    return text_file(TEXT, "source.txt")


def tree(root):
    """{relative path: bytes} of every file under root."""
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


OPTIONS = dict(tasks=["ocr", "generation"], samples=6, seed=7, shard_size=2, max_pages=1, relative=True,
               styles=["document"], threads=1)


def cli_args(source, out):
    return ["synth", "--input", source, "--out", str(out), "--task", "ocr,generation", "--samples", "6",
            "--seed", "7", "--shard-size", "2", "--max-pages", "1", "--relative", "--styles", "document",
            "--threads", "1", "--quiet"]


def test_run_equals_cli(tmp_path, source):
    manifest = synth.run([source], tmp_path / "py", **OPTIONS)
    assert manifest["shards"] == 3 and manifest["pages"] >= 6
    run_cli(*cli_args(source, tmp_path / "cli"))
    assert tree(tmp_path / "py") == tree(tmp_path / "cli")
    report = json.loads(synth.check_synth_dataset(tmp_path / "py"))
    assert report["errors"] == [] and report["rows"] == 6


def test_job_rejects_bad_options(tmp_path, source):
    with pytest.raises(Exception, match="task"):
        synth.SynthJob([source], tmp_path, tasks=["poetry"], samples=1)
    job = synth.SynthJob([source], tmp_path, samples=2, shard_size=1, max_pages=1, styles=["document"])
    assert job.shard_count == 2
    with pytest.raises(Exception, match="out of range"):
        job.run_shard(5)


def test_run_dask_equals_single_process(tmp_path, source):
    distributed = pytest.importorskip("dask.distributed")
    synth.run([source], tmp_path / "single", **OPTIONS)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                  env={"PYTHONPATH": os.environ.get("PYTHONPATH", "")}) as cluster, \
            distributed.Client(cluster) as client:
        seen = []
        manifest = synth.run_dask(client, [source], tmp_path / "dask", progress=lambda *a: seen.append(a), **OPTIONS)
    assert manifest["shards"] == 3 and seen[-1][:2] == (3, 3)
    assert tree(tmp_path / "dask") == tree(tmp_path / "single")
