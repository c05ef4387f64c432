#!/usr/bin/env python3
"""prof-overhead.py NIXE_BASE NIXE WORKLOAD RUNS — CPU time (user+sys) of
nixe with and without --profile (and --profile-native, --profile-alloc),
runs interleaved; prints medians and mins.  "samples" is the number of CPU
samples, or the bytes of an allocation profile."""
import os, resource, subprocess, sys, statistics
base, nixe, wl, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
variants = [
    ("base (main)", [base, "--eval", wl]),
    ("no profile", [nixe, "--eval", wl]),
    ("--profile 99 Hz", [nixe, "--eval", "--profile=/tmp/ovh.prof", wl]),
    ("--profile 999 Hz", [nixe, "--eval", "--profile=/tmp/ovh.prof", "--profile-frequency", "999", wl]),
    ("--profile 9999 Hz", [nixe, "--eval", "--profile=/tmp/ovh.prof", "--profile-frequency", "9999", wl]),
    ("native 99 Hz", [nixe, "--eval", "--profile=/tmp/ovh.prof", "--profile-native", wl]),
    ("native 999 Hz", [nixe, "--eval", "--profile=/tmp/ovh.prof", "--profile-native", "--profile-frequency", "999", wl]),
    ("alloc 512K", [nixe, "--eval", "--profile-alloc", "--profile-alloc-file", "/tmp/ovh.alloc", wl]),
    ("alloc 64K native", [nixe, "--eval", "--profile-alloc=64K", "--profile-native", "--profile-alloc-file", "/tmp/ovh.alloc", wl]),
]
res = {n: [] for n, _ in variants}
samples = {n: [] for n, _ in variants}
for i in range(runs):
    for n, cmd in variants:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        env = dict(os.environ, NIXE_PROFILE_VERBOSE="1")
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        res[n].append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
        for line in p.stderr.decode().splitlines():
            if line.startswith("nixe: profile:"): samples[n].append(int(line.split()[2])); break
b = statistics.median(res["no profile"])
for n, _ in variants:
    m = statistics.median(res[n])
    s = statistics.median(samples[n]) if samples[n] else 0
    print(f"{n:18s} median {m*1000:7.1f} ms  min {min(res[n])*1000:7.1f} ms  ratio {m/b:5.3f}  samples {s}")
