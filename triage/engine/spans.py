"""Spans of a paste: questions about where hits lie, asked in O(log n) each."""

import math
from bisect import bisect_left, bisect_right
from itertools import accumulate

from triage.text import is_word_char


class Spans:
    """Fixed spans, asked whether a span lies inside or overlaps one of them."""

    def __init__(self, spans):
        spans = sorted(spans)
        self._starts = [s for s, _ in spans]
        self._reach = list(accumulate((e for _, e in spans), max))  # furthest end so far

    def contains(self, start, end):
        """Whether [start, end) lies inside one of the spans."""
        i = bisect_right(self._starts, start)
        return i > 0 and self._reach[i - 1] >= end

    def overlaps(self, start, end):
        """Whether [start, end) shares a character with one of the spans."""
        i = bisect_left(self._starts, end)  # the spans that start before it ends
        return i > 0 and self._reach[i - 1] > start


def overlap(start, end, spans):
    """Whether [start, end) shares a character with any (s, e) of spans (a short list)."""
    return any(s < end and start < e for s, e in spans)


def without_overlaps(places):
    """Places (with start, end and weight) with each overlapping group reduced to its
    heaviest, the longer of two as heavy: "Port Sharing Service" holds the contexts
    "port sharing" and "Sharing Service", and SMSvcHost is both a process and a
    distinctive word."""
    starts, kept = [], []  # kept places do not overlap, so sorted by start they are by end
    for place in sorted(places, key=lambda p: (-p.weight, p.start - p.end)):
        i = bisect_left(starts, place.end)  # kept places starting before this one ends
        if i and kept[i - 1].end > place.start:
            continue
        starts.insert(i, place.start)
        kept.insert(i, place)
    return kept


def clusters(text, units, gap):
    """Group units (with start and end, sorted) that overlap or sit next to each other in
    the paste: at most gap characters apart, none of them a letter or digit."""
    found, current, current_end = [], [], -1
    for unit in units:
        start, end = unit.start, unit.end
        if current and (
            start <= current_end
            or (
                start - current_end <= gap
                and not any(is_word_char(c) for c in text[current_end:start])
            )
        ):
            current.append(unit)
            current_end = max(current_end, end)
        else:
            if current:
                found.append(current)
            current, current_end = [unit], end
    if current:
        found.append(current)
    return found


def noisy_or(values):
    return 1 - math.prod(1 - v for v in values)
