"""Writes erlang_reference.csv: Erlang B, C and A values computed with mpmath at 150 digits.

Run `python tests/core/make_erlang_reference.py` after changing the cases; the test module
reads the CSV so the suite does not spend minutes in arbitrary precision.
"""

from __future__ import annotations

import csv
from pathlib import Path

import mpmath as mp

mp.mp.dps = 150  # the heavily overloaded Erlang A service levels cancel ~60 digits
AHT, THRESHOLD, PATIENCE = 180, 20, 60
LOADS = ["0.01", "0.5", "3.7", "10", "55.5", "333.3", "2000.2", "10000.7", "100000.3"]
RATIOS = ["0.5", "0.98", "1.02", "1.1", "1.5", "3"]
OUT = Path(__file__).with_name("erlang_reference.csv")


def blocking(n: int, load: mp.mpf) -> mp.mpf:
    """Erlang B from the series sum_{k<=n} A^k/k! written as 1F1 (positive terms)."""
    # sum_{k=0}^{n} A^k/k! = e^A Q(n+1, A); B = A^n e^-A / (n! Q(n+1, A))
    return 1 / (mp.gammainc(n + 1, load) / (load**n * mp.exp(-load)))


def lower_series(x: mp.mpf, y: mp.mpf) -> mp.mpf:
    """sum_k y^k / ((x+1)...(x+k)) = 1F1(1; x+1; y)."""
    return mp.hyp1f1(1, x + 1, y, maxterms=10**7)


def erlang_c(n: int, load: mp.mpf) -> tuple[mp.mpf, mp.mpf, mp.mpf]:
    b = blocking(n, load)
    c = n * b / (n - load * (1 - b))
    sl = 1 - c * mp.exp(-(n - load) * THRESHOLD / mp.mpf(AHT))
    return c, sl, c * AHT / (n - load)


def erlang_a(n: int, load: mp.mpf) -> tuple[mp.mpf, mp.mpf, mp.mpf]:
    b = blocking(n, load)
    x, y = mp.mpf(n) * PATIENCE / AHT, load * PATIENCE / AHT
    big_a = lower_series(x, y)  # A(x, y) of Mandelbaum and Zeltyn
    p_wait = big_a * b / (1 + (big_a - 1) * b)
    rho = load / n
    p_abandon = p_wait * (1 / (rho * big_a) + 1 - 1 / rho)
    # answered in time | wait = [gamma(x+1, y) - gamma(x+1, y p)] / (y gamma(x, y))
    z = y * mp.exp(-mp.mpf(THRESHOLD) / PATIENCE)

    def lower_gamma(s: mp.mpf, v: mp.mpf) -> mp.mpf:
        return v**s * mp.exp(-v) / s * lower_series(s, v)

    in_time = (lower_gamma(x + 1, y) - lower_gamma(x + 1, z)) / (y * lower_gamma(x, y))
    return p_wait, p_abandon, 1 - p_wait + p_wait * in_time


def main() -> None:
    rows = []
    for text in LOADS:
        load = mp.mpf(text)
        for ratio in RATIOS:
            n = max(1, int(mp.floor(load * mp.mpf(ratio))) + 1)
            row = {"load": text, "agents": n, "erlang_b": mp.nstr(blocking(n, load), 25)}
            if n > load:
                row.update(
                    zip(
                        ("p_wait", "service_level", "asa"),
                        (mp.nstr(v, 25) for v in erlang_c(n, load)),
                        strict=True,
                    )
                )
            keys = ("a_p_wait", "a_p_abandon", "a_service_level")
            row.update(zip(keys, (mp.nstr(v, 25) for v in erlang_a(n, load)), strict=True))
            rows.append(row)
            print(row, flush=True)
    fields = ["load", "agents", "erlang_b", "p_wait", "service_level", "asa", *keys]
    with OUT.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fields)
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
