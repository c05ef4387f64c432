#!/usr/bin/env python3
"""prof-overhead.py [--core] NIXE_BASE NIXE WORKLOAD RUNS [ARG...] — CPU time
(user+sys) of nixe with and without --profile (and --profile-native,
--profile-alloc, --trace-calls), runs interleaved; prints medians and mins
and each variant's ratio to "no profile" (the same binary).  ARGs go
before WORKLOAD (e.g. --arg nixpkgs /work/nixpkgs-16.09).  --core: only
base, no profile, 99 Hz and 999 Hz.  "samples" is the number of CPU
samples, or the bytes of an allocation profile; "paired" is the median of
the per-repetition ratios to the adjacent "no profile" run, with its
interquartile range (the spread the load causes).  Also prints the load
average before and after: the machine is shared, and CPU time of a run
grows when other processes compete for caches and cores."""
import os, resource, subprocess, sys, statistics
argv = sys.argv[1:]
core = argv[:1] == ["--core"]
if core: argv = argv[1:]
base, nixe, wl, runs, extra = argv[0], argv[1], argv[2], int(argv[3]), argv[4:]
def cmd(binary, *opts): return [binary, "--eval", *opts, *extra, wl]
variants = [
    ("base (main)", cmd(base)),
    ("no profile", cmd(nixe)),
    ("--profile 99 Hz", cmd(nixe, "--profile=/tmp/ovh.prof")),
    ("--profile 999 Hz", cmd(nixe, "--profile=/tmp/ovh.prof", "--profile-frequency", "999")),
]
if not core:
    variants += [
        ("--profile 9999 Hz", cmd(nixe, "--profile=/tmp/ovh.prof", "--profile-frequency", "9999")),
        ("native 99 Hz", cmd(nixe, "--profile=/tmp/ovh.prof", "--profile-native")),
        ("native 999 Hz", cmd(nixe, "--profile=/tmp/ovh.prof", "--profile-native", "--profile-frequency", "999")),
        ("alloc 512K", cmd(nixe, "--profile-alloc", "--profile-alloc-file", "/tmp/ovh.alloc")),
        ("alloc 64K native", cmd(nixe, "--profile-alloc=64K", "--profile-native", "--profile-alloc-file", "/tmp/ovh.alloc")),
        ("--trace-calls", cmd(nixe, "--trace-calls", "/dev/null")),
    ]
res = {n: [] for n, _ in variants}
samples = {n: [] for n, _ in variants}
print("load average before: %.2f %.2f %.2f" % os.getloadavg())
for i in range(runs):
    # A B C D, B C D A, …: no variant always runs right after another.
    for n, c in variants[i % len(variants):] + variants[:i % len(variants)]:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        env = dict(os.environ, NIXE_PROFILE_VERBOSE="1")
        p = subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0: sys.exit("failed: %s\n%s" % (" ".join(c), p.stderr.decode()))
        res[n].append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
        for line in p.stderr.decode().splitlines():
            if line.startswith("nixe: profile:"): samples[n].append(int(line.split()[2])); break
print("load average after:  %.2f %.2f %.2f" % os.getloadavg())
b = statistics.median(res["no profile"])
def q(xs, f):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(f * len(xs)))]
print("ratio: of the medians; paired: median over the repetitions of each run's time over the")
print("'no profile' run of the same repetition (adjacent in time), with its interquartile range")
for n, _ in variants:
    m = statistics.median(res[n])
    s = statistics.median(samples[n]) if samples[n] else 0
    pr = [x / y for x, y in zip(res[n], res["no profile"])]
    print(f"{n:18s} median {m*1000:7.1f} ms  min {min(res[n])*1000:7.1f}  max {max(res[n])*1000:7.1f}  "
          f"ratio {m/b:5.3f}  paired {statistics.median(pr):5.3f} [{q(pr, 0.25):5.3f}, {q(pr, 0.75):5.3f}]  samples {s}")
