#!/usr/bin/env python3
"""Reference models of the workloads in suites/bench: where their checksums come from.

Each model recomputes a workload's checksum in plain Python from the description in the
workload's header comment, without running any WebAssembly engine, so a checksum in
workloads.toml is evidence about the engines rather than a copy of one engine's answer.

    python3 reference.py            # every workload's checksum at its n and quick_n
    python3 reference.py --check    # the same, compared with workloads.toml (exit 1 on a mismatch)
    python3 reference.py NAME N     # one workload at one n

The full-size models take a minute or so; they were run once when the workloads were written.
"""

import struct
import sys
import tomllib
from pathlib import Path

M32 = (1 << 32) - 1
M64 = (1 << 64) - 1


def signed64(x):
    x &= M64
    return x - (1 << 64) if x >> 63 else x


def f64_bits(f):
    return struct.unpack("<q", struct.pack("<d", f))[0]


def rotl64(x, r):
    return ((x << r) | (x >> (64 - r))) & M64


def rotl32(x, r):
    return ((x << r) | (x >> (32 - r))) & M32


def lcg(x):
    return (x * 1103515245 + 12345) & M32


# compute only ---------------------------------------------------------------------------


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def loops(n):
    acc = 0x243F6A8885A308D3
    for i in range(n):
        for j in range(n):
            t = (i * j + j) & M32
            acc = (rotl64(((acc ^ t) * 0x9E3779B97F4A7C15) & M64, 17) + i) & M64
    return signed64(acc)


def switch(n):
    state, x, acc = 0, 0x12345678, 0
    for _ in range(n):
        x = (x * 1664525 + 1013904223) & M32
        if state == 0:
            acc += x
            state = x >> 29
        elif state == 1:
            acc ^= x << 32
            state = 4
        elif state == 2:
            acc *= 3
            state = (x >> 13) & 7
        elif state == 3:
            acc -= x >> 7
            state = 0
        elif state == 4:
            acc = rotl64(acc, 9)
            state = (x >> 27) & 7
        elif state == 5:
            acc += 5
            state = (x >> 3) & 7
        elif state == 6:
            acc ^= acc >> 11
            state = (x >> 20) & 7
        else:
            acc -= x * 7
            state = (x >> 17) & 7
        acc &= M64
    return signed64(acc)


# sequential streams ---------------------------------------------------------------------

COUNT = 65536
A32 = [(i * 2654435761) & M32 for i in range(COUNT)]
B32 = [i ^ 0x5555 for i in range(COUNT)]
A64 = [(i * 0x9E3779B97F4A7C15) & M64 for i in range(COUNT)]
B64 = [i * 3 + 1 for i in range(COUNT)]
AF = [1.0 / float(i + 1) for i in range(COUNT)]
BF = [float(i) * 0.001 for i in range(COUNT)]


def sample32(c):
    """16 i64 loads at byte stride 0x4000 over an i32 array: elements e and e + 1."""
    return signed64(sum(c[k * 4096] | (c[k * 4096 + 1] << 32) for k in range(16)))


def sample64(c):
    """16 i64 loads at byte stride 0x8000 over an 8-byte array."""
    return signed64(sum(c[k * 4096] & M64 for k in range(16)))


def sum_i32(n):
    return signed64(n * sum(A32))


def sum_i64(n):
    return signed64(n * sum(A64))


def sum_f64(n):
    acc = 0.0
    for _ in range(n):
        for v in AF:
            acc += v
    return f64_bits(acc)


def fill_i32(n):
    return sample32([(n - 1 + i) & M32 for i in range(COUNT)])


def fill_i64(n):
    return sample64([(n - 1 + i) & M64 for i in range(COUNT)])


def fill_f64(n):
    return sample64([f64_bits(float(n - 1) + float(i)) for i in range(COUNT)])


def add_i32(n):
    return sample32([(A32[i] + B32[i] + n - 1) & M32 for i in range(COUNT)])


def add_i64(n):
    return sample64([(A64[i] + B64[i] + n - 1) & M64 for i in range(COUNT)])


def add_f64(n):
    k = float(n - 1)
    return sample64([f64_bits((AF[i] + BF[i]) + k) for i in range(COUNT)])


# random access --------------------------------------------------------------------------


def gather(n):
    t = [((i * 2246822519) ^ (i >> 5)) & M32 for i in range(1 << 20)]
    x, acc = 1, 0
    for _ in range(n):
        x = lcg(x)
        acc += t[(x >> 10) & 0xFFFFF]
    return signed64(acc)


def sieve(n):
    composite = bytearray(n)
    acc = 0
    for i in range(2, n):
        if not composite[i]:
            acc += i
            if i * i < n:
                composite[i * i :: i] = b"\x01" * len(range(i * i, n, i))
    return signed64(acc)


def chase(n):
    size = 1 << 18
    p = list(range(size))
    x = 42
    for i in range(size - 1, 0, -1):
        x = lcg(x)
        j = (x >> 8) % i
        p[i], p[j] = p[j], p[i]
    k = acc = 0
    for _ in range(n):
        k = p[k]
        acc = (acc * 31 + k) & M64
    return signed64(acc)


def hash_probe(n):
    keys = [0] * 65536
    counts = [0] * 65536
    x, acc = 0x2545F491, 0
    for _ in range(n):
        x = lcg(x)
        key = ((x >> 8) % 40000) + 1
        h = ((key * 0x9E3779B1) & M32) >> 16
        while True:
            if keys[h] == key:
                counts[h] += 1
                break
            if keys[h] == 0:
                keys[h] = key
                counts[h] = 1
                break
            h = (h + 1) & 0xFFFF
        acc += h + (counts[h] << 32)
    return signed64(acc)


# dense kernels --------------------------------------------------------------------------


def matmul(n):
    a = [[float((3 * i + 5 * k) % 17) - 8.0 for k in range(n)] for i in range(n)]
    b = [[float((7 * k + j) % 13) * 0.5 for j in range(n)] for k in range(n)]
    s = 0.0
    c = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            acc = 0.0
            for k in range(n):
                acc += a[i][k] * b[k][j]
            c[i][j] = acc
    for i in range(n):
        for j in range(n):
            s += c[i][j] * float(i + 2 * j + 1)
    return f64_bits(s) if n else 0


def heapsort(n):
    if n < 2:
        return 0
    x, a = 7, []
    for _ in range(n):
        x = lcg(x)
        a.append(x)
    # the checksum depends only on the sorted order, not on how it was reached
    return signed64(sum(v * (i + 1) for i, v in enumerate(sorted(a))))


def stencil(n):
    w = 256
    grid = [float((7 * x + 13 * y) & 31) for y in range(w) for x in range(w)]
    src, dst = grid[:], grid[:]
    for _ in range(n):
        for y in range(1, w - 1):
            row = y * w
            for x in range(1, w - 1):
                c = row + x
                dst[c] = (((src[c - w] + src[c + w]) + src[c - 1]) + src[c + 1]) * 0.25
        src, dst = dst, src
    s = 0.0
    for v in src:
        s += v
    return f64_bits(s)


# crypto ---------------------------------------------------------------------------------

CHACHA_INPUT = (
    list(struct.unpack("<4I", b"expand 32-byte k"))
    + list(struct.unpack("<8I", bytes(range(32))))
    + [1]
    + list(struct.unpack("<3I", bytes([0, 0, 0, 9, 0, 0, 0, 0x4A, 0, 0, 0, 0])))
)


def chacha_block(counter):
    inp = CHACHA_INPUT[:]
    inp[12] = counter
    s = inp[:]

    def qr(a, b, c, d):
        s[a] = (s[a] + s[b]) & M32
        s[d] = rotl32(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & M32
        s[b] = rotl32(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & M32
        s[d] = rotl32(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & M32
        s[b] = rotl32(s[b] ^ s[c], 7)

    for _ in range(10):
        qr(0, 4, 8, 12)
        qr(1, 5, 9, 13)
        qr(2, 6, 10, 14)
        qr(3, 7, 11, 15)
        qr(0, 5, 10, 15)
        qr(1, 6, 11, 12)
        qr(2, 7, 8, 13)
        qr(3, 4, 9, 14)
    return [(s[i] + inp[i]) & M32 for i in range(16)]


# RFC 8439 section 2.3.2: the state after adding the input, for counter 1.
RFC8439_2_3_2 = [
    0xE4E7F110, 0x15593BD1, 0x1FDD0F50, 0xC47120A3,
    0xC7F4D1C7, 0x0368C033, 0x9AAA2204, 0x4E6CD4C3,
    0x466482D2, 0x09AA9F07, 0x05D7C214, 0xA2028BD9,
    0xD19C12B5, 0xB94E16DE, 0xE883D0CB, 0x4E3C50A2,
]


def chacha20(n):
    assert chacha_block(1) == RFC8439_2_3_2, "ChaCha20 model disagrees with RFC 8439"
    acc = 0
    for b in range(n):
        for w in chacha_block(b + 1):
            acc = rotl64(acc, 5) ^ w
    return signed64(acc)


# static offsets, bulk, grow, instantiate ------------------------------------------------


def offsets(n):
    w = [(i * 0x01000193 + 0x811C9DC5) & M32 for i in range(65536)]
    return signed64(n * (sum(w) + sum(v ^ 0x5BD1E995 for v in w)))


S_BYTES = b"".join(struct.pack("<I", (i * 2654435761) & M32) for i in range(65536))


def bulk_copy(n):
    x, acc = 99, 0
    for _ in range(n):
        x = lcg(x)
        length = ((x >> 17) & 0x7FFF) + 1
        x = lcg(x)
        src = (x >> 14) & 0x1FFFF
        x = lcg(x)
        acc = acc * 31 + S_BYTES[src] + (S_BYTES[src + length - 1] << 8) + length
        acc &= M64
    return signed64(acc)


def bulk_fill(n):
    x, acc = 99, 0
    for _ in range(n):
        x = lcg(x)
        length = ((x >> 17) & 0x7FFF) + 1
        x = lcg(x)
        v = x & 0xFF
        acc = (acc * 31 + v + (v << 8) + length) & M64
    return signed64(acc)


def grow(n):
    if n == 0:
        return 0
    acc = sum(i + 2 for i in range(n))
    acc += sum(old * 0x9E3779B97F4A7C15 for old in range(1, n + 1))
    return signed64(acc)


INSTANTIATE_DATA = bytes(((i * 167 + 13) ^ (i >> 3)) & 0xFF for i in range(1024))


def instantiate(n):
    acc = 0
    for i in range(n):
        acc += INSTANTIATE_DATA[(i * 37) % 1024] + 7 + i * ((i & 3) + 1)
    return signed64(acc)


MODELS = {
    "fib": fib,
    "loops": loops,
    "switch": switch,
    "sum_i32": sum_i32,
    "sum_i64": sum_i64,
    "sum_f64": sum_f64,
    "fill_i32": fill_i32,
    "fill_i64": fill_i64,
    "fill_f64": fill_f64,
    "add_i32": add_i32,
    "add_i64": add_i64,
    "add_f64": add_f64,
    "gather": gather,
    "gather_lanes": lambda n: gather(4 * n),
    "add_i32x4": add_i32,
    "sieve": sieve,
    "chase": chase,
    "hash": hash_probe,
    "matmul": matmul,
    "heapsort": heapsort,
    "stencil": stencil,
    "chacha20": chacha20,
    "offsets_0": offsets,
    "offsets_4k": offsets,
    "offsets_64k": offsets,
    "offsets_64m": offsets,
    "copy": bulk_copy,
    "fill": bulk_fill,
    "grow": grow,
    "instantiate": instantiate,
}


def main(argv):
    if len(argv) == 3:
        print(MODELS[argv[1]](int(argv[2])))
        return 0
    check = "--check" in argv
    manifest = tomllib.loads((Path(__file__).parent / "workloads.toml").read_text())
    bad = 0
    for w in manifest["workload"]:
        # A memory64 twin (`twin = "..."`) computes what its 32-bit original computes.
        model = MODELS[w.get("twin", w["name"])]
        for n_key, sum_key in (("quick_n", "quick_checksum"), ("n", "checksum")):
            value = model(w[n_key])
            ok = not check or value == w[sum_key]
            bad += not ok
            print(f"{w['name']:12} {n_key:8} {w[n_key]:>9} {value:>21}{'' if ok else '  MISMATCH: manifest has ' + str(w[sum_key])}")
            sys.stdout.flush()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
