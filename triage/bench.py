"""Benchmark the triage engine: `python -m triage.bench` (or `make bench`).

For synthetic knowledge bases of 1,000, 10,000 and 100,000 signatures and
pastes of 1 KB, 10 KB and 64 KB, it prints the engine's time per paste next to
a bare pyahocorasick pass (an automaton of the same signature strings, iter()
over the same paste, lowercased) measured in the same run and the same way (a
warm-up call each, then the two taking turns; medians), with the ratios
engine / bare and time at the largest / smallest knowledge base. The pastes
are log lines with timestamps, ids, paths and stack frames, a few of which carry signature
phrases, error codes and exception names.
"""

import argparse
import platform
import random
import statistics
import time

import ahocorasick

from triage.codes import all_codes
from triage.engine import ArticleSpec, Index, SignatureSpec
from triage.matcher import match_key

SIZES = (1_000, 10_000, 100_000)
PASTES = (1024, 10 * 1024, 64 * 1024)
SIGNATURES_PER_ARTICLE = 10

_SYLLABLES = "ka lo mi ne ru ta vo shi an der pel tor qua zin bex mol rif gan sul tev".split()
_COMMON = (
    "the a of to on in is was could not failed error service server pipe socket port handle "
    "connection request process remote channel listener endpoint timeout instance busy"
).split()
_GENERIC_EXCEPTIONS = ("SocketException", "TimeoutException", "IOException", "PipeException")


def _word(rng):
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def synthetic_kb(n_signatures, seed=1):
    """Articles and signatures shaped like real ones: phrases of a few words, codes, context."""
    rng = random.Random(seed)
    codes = [c.key for c in all_codes() if c.system in ("Win32", "WinSock")]
    articles, signatures = [], []
    for a in range(max(1, n_signatures // SIGNATURES_PER_ARTICLE)):
        slug = f"article-{a}"
        articles.append(
            ArticleSpec(slug=slug, title=f"Article {a}", products=(f"{_word(rng)} {a}",))
        )
        for _ in range(SIGNATURES_PER_ARTICLE - 1):
            roll = rng.random()
            if roll < 0.75:
                words = [
                    rng.choice(_COMMON) if rng.random() < 0.4 else _word(rng)
                    for _ in range(rng.randint(3, 6))
                ]
                signatures.append(SignatureSpec(slug, "phrase", " ".join(words)))
            elif roll < 0.85:
                signatures.append(SignatureSpec(slug, "code", rng.choice(codes), 0.5))
            elif roll < 0.9:
                name = rng.choice(_GENERIC_EXCEPTIONS) if rng.random() < 0.1 else _word(rng).title()
                signatures.append(SignatureSpec(slug, "exception", f"{name}Exception", 0.5))
            else:
                signatures.append(SignatureSpec(slug, "context", _word(rng)))
    return articles, signatures


def synthetic_paste(size, signatures, seed=2):
    """Log lines up to size characters; about one line in twenty carries a signature."""
    rng = random.Random(seed)
    phrases = [s.value for s in signatures if s.kind == "phrase"]
    codes = [s.value.split(":")[1] for s in signatures if s.kind == "code"] or ["231"]
    exceptions = [s.value for s in signatures if s.kind == "exception"] or ["IOException"]
    lines, total = [], 0
    while total < size:
        day, hour, minute = rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)
        stamp = f"2024-03-{day:02d} {hour:02d}:{minute:02d}:07.{rng.randint(0, 999):03d}"
        roll = rng.random()
        if roll < 0.05 and phrases:
            body = f"ERROR {rng.choice(phrases)} (error {rng.choice(codes)})"
        elif roll < 0.08:
            body = f"App.Services.{rng.choice(exceptions)}: the operation failed"
        elif roll < 0.3:
            body = (
                f"   at App.Module{rng.randint(1, 99)}.Handler.Process(String name, Int32 id)"
                f" in C:\\src\\app\\Handler.cs:line {rng.randint(1, 900)}"
            )
        else:
            body = (
                f"INFO [{rng.randint(1000, 9999)}] request {rng.getrandbits(32):08x} served in"
                f" {rng.randint(1, 500)} ms from 10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            )
        line = f"{stamp} {body}"
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines)[:size]


def bare_automaton(signatures):
    automaton = ahocorasick.Automaton()
    for s in signatures:
        key = match_key(s.value)
        if key:
            automaton.add_word(key, len(key))
    automaton.make_automaton()
    return automaton


def _time(fns, repeat):
    """Median seconds per call of each function, measured the same way for all.

    Each is called once to warm up, then the functions take turns, so that a
    busy moment of the machine falls on all of them alike.
    """
    for fn in fns:
        fn()
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, spent in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def bare_pass(automaton, text):
    """What a bare automaton pass costs: lowercase the paste, count the hits."""
    return sum(1 for _ in automaton.iter(text.lower()))


def run(sizes=SIZES, pastes=PASTES, repeat=15, out=print):
    out(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}")
    rows, engine_times = [], {}
    for n in sizes:
        articles, signatures = synthetic_kb(n)
        start = time.perf_counter()
        index = Index.build(articles, signatures)
        build = time.perf_counter() - start
        bare = bare_automaton(signatures)
        out(f"{n:>7,} signatures: index built in {build:.2f} s")
        for size in pastes:
            text = synthetic_paste(size, signatures)
            engine, base = _time(
                [
                    lambda text=text, index=index: index.triage(text),
                    lambda text=text, bare=bare: bare_pass(bare, text),
                ],
                repeat,
            )
            engine_times[(n, size)] = engine
            rows.append((n, size, engine, base))
    out("")
    out("| signatures | paste | engine ms | bare AC ms | engine / bare | engine vs 1k KB |")
    out("|-----------:|------:|----------:|-----------:|--------------:|----------------:|")
    smallest = sizes[0]
    for n, size, engine, base in rows:
        growth = engine / engine_times[(smallest, size)]
        out(
            f"| {n:>10,} | {size // 1024:>3} KB | {engine * 1000:>9.2f} | {base * 1000:>10.2f}"
            f" | {engine / base:>13.1f} | {growth:>14.2f}x |"
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="1k and 10k signatures only")
    args = parser.parse_args()
    run(sizes=SIZES[:2] if args.quick else SIZES, repeat=args.repeat)


if __name__ == "__main__":
    main()
