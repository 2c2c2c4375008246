#!/usr/bin/python3
"""Speed and peak memory of `glyph render` against the Glyph reference, in the same run.

Jobs: 32K, 128K and 512K characters of KJV English, config_en settings (Verdana 9 pt, 72 dpi),
PNG files written. For each: the reference --reference-runs times and glyph with 1 and 2 threads
--runs times, in interleaved rounds (each round runs the reference once, then every glyph row once),
so that both sides see the same phases of a machine whose speed drifts; whole processes on both
sides. Needs the reference set up (bash ../shared/reference/setup.sh GLYPH_GIT_DIR), whose texts
are in $REFBENCH/texts.
  python3 bench/speed.py [--glyph build/glyph] [--sizes 32k,128k,512k] [--runs 5] [--reference-runs 3]
                         [--json] [--variant=--png-level=1 ...] [--baseline OTHER_GLYPH]

--variant adds rows for glyph with extra arguments (e.g. libdeflate instead of the text-page
PNG encoder), --baseline rows for another glyph build (an older commit), in the same run.

Columns: process wall ms (best run / median run) and CPU seconds (user + sys) of the best run, the
reference's best wall time divided by glyph's best and its median by glyph's median (same run), ms per
page, MB/s of input, peak RSS, and each stage's share of glyph's summed stage CPU time (layout on the
main thread; layout ahead: the paragraphs' first line breaking on helper threads; raster and encode
summed over the workers), and the layout's CPU ms on the main thread (the serial floor) + on the
helpers. Ratios both by wall time and by CPU seconds. The machine's load average is printed: on a shared
machine compare the ratios and CPU seconds, not wall times across runs.
"""
import argparse
import json
import os
import shutil
import statistics
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(ROOT, '..', 'shared', 'reference'))
B = os.environ.get('REFBENCH', '/tmp/refbench')


def timed(cmd):
    """Wall seconds, CPU seconds (user + sys), peak RSS (MB) and stdout of a command.

    The command is spawned directly and reaped with wait4(), whose resource usage gives CPU time
    and peak RSS (what GNU time reports, from the same call). An earlier version ran the command
    under /usr/bin/time -v, whose own start (~4.4 ms here: /bin/true takes 6.4 ms under it,
    1.7-2.0 ms spawned directly) was counted in every wall time: 7% of a 512K render by glyph.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        pid = os.posix_spawn(cmd[0], cmd, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                                                                    (os.POSIX_SPAWN_DUP2, err.fileno(), 2)])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
        out.seek(0), err.seek(0)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(err.read().decode(errors='replace'))
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read().decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--glyph', default=os.path.join(ROOT, 'build', 'glyph'))
    ap.add_argument('--sizes', default='32k,128k,512k')
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--reference-runs', type=int, default=3,
                    help='reference runs per size (their best and median are the ratios\' numerators)')
    ap.add_argument('--json', action='store_true', help='one JSON object per row instead of the table')
    ap.add_argument('--variant', action='append', default=[],
                    help='extra glyph arguments, "=" between flag and value (--variant=--png-level=1)')
    ap.add_argument('--baseline', help='another glyph binary (e.g. an older build): its rows in the same run')
    args = ap.parse_args()
    if args.runs < 1 or args.reference_runs < 1:
        ap.error('--runs and --reference-runs must be at least 1')
    tmp = tempfile.mkdtemp(prefix='glyph-speed-')
    cfg = json.load(open(os.path.join(B, 'glyph', 'config', 'config_en.json')))
    cfg['font-path'] = os.path.join(B, 'glyph', 'config', 'Verdana.ttf')
    cfg_path = os.path.join(tmp, 'config_en.json')
    json.dump(cfg, open(cfg_path, 'w'))
    load0 = os.getloadavg()
    rows = []
    try:
        for size in args.sizes.split(','):
            text = os.path.join(B, 'texts', 'en_%s.txt' % size)
            mb = os.path.getsize(text) / 1e6
            ref_cmd = ['/usr/bin/python3', os.path.join(SHARED, 'run_reference.py'), '--config', cfg_path, '--input',
                       text, '--out', os.path.join(tmp, 'ref'), '--glyph-ref', os.path.join(B, 'glyph')]
            builds = [(args.glyph, '', v) for v in [''] + args.variant]
            if args.baseline:
                builds.append((args.baseline, 'baseline ', ''))
            jobs = [(t, b) for b in builds for t in (1, 2)]
            ref_runs, glyph_runs = [], {job: [] for job in jobs}
            for round_ in range(max(args.runs, args.reference_runs)):
                if round_ < args.reference_runs:
                    ref_runs.append(timed(ref_cmd)[:3])
                    shutil.rmtree(os.path.join(tmp, 'ref'), ignore_errors=True)
                if round_ >= args.runs:
                    continue
                for job in jobs:
                    threads, (binary, label, variant) = job
                    d = os.path.join(tmp, 'ours')
                    wall, cpu, rss, out = timed([binary, 'render', '--config', cfg_path, '--input', text, '--out',
                                                 d, '--quiet', '--threads', str(threads)] + variant.split())
                    shutil.rmtree(d)
                    glyph_runs[job].append((wall, cpu, rss, json.loads(out)))
            ref_wall, ref_cpu, ref_rss = min(ref_runs)
            ref_median = statistics.median_high(r[0] for r in ref_runs)
            rows.append({'size': size, 'who': 'reference', 'wall_ms': ref_wall * 1e3,
                         'median_wall_ms': ref_median * 1e3, 'runs': len(ref_runs), 'cpu_s': ref_cpu, 'peak_rss_mb': ref_rss, 'mb_per_s': mb / ref_wall})
            for job in jobs:
                threads, (binary, label, variant) = job
                wall, cpu, rss, s = min(glyph_runs[job], key=lambda r: r[0])
                median = statistics.median_high(r[0] for r in glyph_runs[job])
                st = s.get('stage_seconds') or {'layout': 0, 'raster': 0, 'encode': 0}  # older builds
                st.setdefault('layout_ahead', 0)
                stage_total = sum(st.values()) or 1
                who = label + 'glyph %d thread%s' % (threads, 's' if threads > 1 else '')
                rows.append({'size': size, 'who': who + (' ' + variant if variant else ''),
                             'wall_ms': wall * 1e3, 'median_wall_ms': median * 1e3, 'median_ratio': ref_median / median,
                             'runs': len(glyph_runs[job]), 'render_ms': s['seconds'] * 1e3, 'cpu_s': cpu,
                             'peak_rss_mb': rss, 'pages': s['page_count'], 'ms_per_page': wall * 1e3 / s['page_count'],
                             'mb_per_s': mb / wall, 'ratio': ref_wall / wall, 'cpu_ratio': ref_cpu / cpu,
                             'layout_pct': 100 * st['layout'] / stage_total,
                             'layout_ahead_pct': 100 * st['layout_ahead'] / stage_total,
                             'layout_cpu_ms': 1e3 * st['layout'], 'layout_ahead_cpu_ms': 1e3 * st['layout_ahead'],
                             'raster_pct': 100 * st['raster'] / stage_total,
                             'encode_pct': 100 * st['encode'] / stage_total})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load1 = os.getloadavg()
    if args.json:
        for r in rows:
            print(json.dumps(r))
        print(json.dumps({'load_average_before': load0[0], 'load_average_after': load1[0]}))
        return
    print('load average (1 min) %.2f before, %.2f after; %d CPUs' % (load0[0], load1[0], os.cpu_count()))
    print('| text | who | process ms (best / median) | CPU s | x reference (wall: best / median) | x reference (CPU) | ms/page | MB/s | peak RSS MB |'
          ' layout/ahead/raster/encode % | layout ms (calling thread + ahead) |')
    print('|---|---|---|---|---|---|---|---|---|---|---|')
    for r in rows:
        if r['who'] == 'reference':
            print('| %s | reference | %.0f / %.0f | %.2f | 1 | 1 | | %.2f | %.0f | |' % (
                r['size'], r['wall_ms'], r['median_wall_ms'], r['cpu_s'], r['mb_per_s'], r['peak_rss_mb']))
        else:
            print('| %s | %s | %.1f / %.1f | %.3f | %.0fx / %.0fx | %.0fx | %.2f | %.1f | %.0f | %.0f/%.0f/%.0f/%.0f | %.1f + %.1f |' % (
                r['size'], r['who'], r['wall_ms'], r['median_wall_ms'], r['cpu_s'], r['ratio'], r['median_ratio'], r['cpu_ratio'], r['ms_per_page'], r['mb_per_s'],
                r['peak_rss_mb'], r['layout_pct'], r['layout_ahead_pct'], r['raster_pct'], r['encode_pct'],
                r['layout_cpu_ms'], r['layout_ahead_cpu_ms']))


if __name__ == '__main__':
    main()
