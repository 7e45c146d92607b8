"""LZ-string: properties, edge cases, and a differential test against JavaScript lz-string 1.5.0."""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from bridging.transport.lzstring import (
    compress_to_encoded_uri_component,
    decompress_from_encoded_uri_component,
)

LzRunner = Callable[[str, list[str]], list[str | None]]

URI_ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits + "+-"


def as_js_string(text: str) -> str:
    """What a JavaScript string holding these UTF-16 code units reads as in Python.

    Adjacent high + low surrogates form one astral character; lone surrogates stay.
    """
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def utf16_units(text: str) -> list[int]:
    raw = text.encode("utf-16-le", "surrogatepass")
    return [raw[i] | raw[i + 1] << 8 for i in range(0, len(raw), 2)]


code_unit_strings = st.lists(st.integers(min_value=0, max_value=0xFFFF), max_size=300).map(
    lambda units: "".join(map(chr, units))
)


@given(st.text(max_size=400))
@settings(max_examples=400)
def test_round_trip_restores_any_unicode_text(text: str) -> None:
    compressed = compress_to_encoded_uri_component(text)
    assert set(compressed) <= set(URI_ALPHABET)
    assert decompress_from_encoded_uri_component(compressed) == text


@given(st.text(min_size=300, max_size=6000) | st.text(alphabet="ab{}:,😀é", min_size=500))
@settings(max_examples=150, deadline=None)
def test_round_trip_restores_long_text(text: str) -> None:
    # Mostly long enough that decompression goes through its buffered fast loop.
    assert decompress_from_encoded_uri_component(compress_to_encoded_uri_component(text)) == text


@given(code_unit_strings)
@settings(max_examples=400)
def test_round_trip_keeps_lone_surrogates_like_javascript(text: str) -> None:
    restored = decompress_from_encoded_uri_component(compress_to_encoded_uri_component(text))
    assert restored == as_js_string(text)
    assert restored is not None
    assert utf16_units(restored) == utf16_units(text)


@given(code_unit_strings)
@settings(max_examples=200)
def test_surrogate_pairs_compress_like_the_astral_character(text: str) -> None:
    assert compress_to_encoded_uri_component(text) == compress_to_encoded_uri_component(
        as_js_string(text)
    )


def test_emoji_counts_as_two_code_units() -> None:
    # JavaScript sees U+1F600 as \ud83d \ude00; Python lzstring 1.0.4 wrongly gave "\uf600".
    assert compress_to_encoded_uri_component("😀") == compress_to_encoded_uri_component(
        "\ud83d\ude00"
    )
    assert decompress_from_encoded_uri_component(compress_to_encoded_uri_component("😀")) == "😀"


def test_empty_input_decompresses_to_none_like_javascript_null() -> None:
    assert decompress_from_encoded_uri_component("") is None


def test_empty_text_compresses_to_q() -> None:
    assert compress_to_encoded_uri_component("") == "Q"
    assert decompress_from_encoded_uri_component("Q") == ""


def test_spaces_in_input_are_read_as_plus() -> None:
    # URLs turn "+" into " "; lz-string reads a space as "+".
    text = "ÿÿ~"
    assert compress_to_encoded_uri_component(text) == "P-B+Q"
    assert decompress_from_encoded_uri_component("P-B Q") == text


def test_truncated_stream_decompresses_to_empty_string() -> None:
    compressed = compress_to_encoded_uri_component(json.dumps({"list": list(range(200))}))
    assert decompress_from_encoded_uri_component(compressed[: len(compressed) // 2]) == ""


def test_reference_beyond_dictionary_decompresses_to_none() -> None:
    # First value 0 -> literal "\x00"; next 3-bit value 7 > dictionary size 5.
    # Bits (read order): 00 | 00000000 | 111 ... packed 6 bits per character, MSB first.
    bits = "00" + "00000000" + "111" + "0" * 5
    data = "".join(URI_ALPHABET[int(bits[i : i + 6], 2)] for i in range(0, len(bits), 6))
    assert decompress_from_encoded_uri_component(data) is None


def _random_inputs(rng: random.Random, count: int) -> list[str]:
    emoji = ["😀", "🤒", "👍🏽", "🇮🇩", "💊", "🩺", "\U0010fffd"]
    words = ["kdDiag", "nmDiag", "noKartu", "keluhan", "demam", "batuk", '":"', '","', "{", "}"]
    inputs: list[str] = []
    for i in range(count):
        kind = i % 6
        length = rng.choice([0, 1, 2, 3, 5, 10, 50, 200, 1000])
        if kind == 0:  # ASCII
            text = "".join(rng.choice(string.printable) for _ in range(length))
        elif kind == 1:  # BMP, excluding surrogates
            text = "".join(
                chr(rng.choice([rng.randrange(0x20, 0x100), rng.randrange(0x100, 0xD800)]))
                for _ in range(length)
            )
        elif kind == 2:  # emoji mixed with Indonesian text
            text = "".join(rng.choice([*emoji, "a", " ", "é", "—", "中"]) for _ in range(length))
        elif kind == 3:  # long repetitive
            unit = "".join(rng.choice(words) for _ in range(rng.randint(1, 6)))
            text = unit * rng.randint(1, 400)
        elif kind == 4:  # JSON-like records
            text = json.dumps(
                [
                    {"kdDiag": f"A{rng.randint(0, 99):02d}", "nonSpesialis": rng.random() < 0.5}
                    for _ in range(rng.randint(0, 60))
                ],
                ensure_ascii=rng.random() < 0.5,
            )
        else:  # any code unit, lone surrogates included
            text = "".join(chr(rng.randrange(0, 0x10000)) for _ in range(length))
        inputs.append(text)
    return inputs


def test_python_and_javascript_compress_identically_and_read_each_other(
    lz_node: LzRunner,
) -> None:
    inputs = _random_inputs(random.Random(20261124), 3000)
    python_out = [compress_to_encoded_uri_component(text) for text in inputs]
    node_out = lz_node("compress", inputs)
    mismatches = [i for i, (p, n) in enumerate(zip(python_out, node_out)) if p != n]
    assert mismatches == []

    node_read_python = lz_node("decompress", python_out)
    assert [i for i, text in enumerate(node_read_python) if text != as_js_string(inputs[i])] == []

    python_read_node = [decompress_from_encoded_uri_component(c or "") for c in node_out]
    assert [i for i, text in enumerate(python_read_node) if text != as_js_string(inputs[i])] == []


def test_python_decompresses_garbage_exactly_like_javascript(lz_node: LzRunner) -> None:
    rng = random.Random(7)
    garbage: list[str] = []
    while len(garbage) < 1500:
        text = "".join(rng.choice(URI_ALPHABET + " $") for _ in range(rng.randint(1, 60)))
        # A first value of 3 makes JavaScript run on `undefined` (documented deviation).
        if URI_ALPHABET.find(text[0].replace(" ", "+")) < 48:
            garbage.append(text)
    expected = lz_node("decompress", garbage)
    actual = [decompress_from_encoded_uri_component(text) for text in garbage]
    assert [i for i, (a, e) in enumerate(zip(actual, expected)) if a != e] == []


def test_python_decompresses_corrupted_long_streams_like_javascript(lz_node: LzRunner) -> None:
    # Long enough for the fast (buffered) decoding loop, then damaged after the first character.
    rng = random.Random(11)
    damaged: list[str] = []
    for text in _random_inputs(random.Random(5), 600):
        compressed = compress_to_encoded_uri_component(text * 3)
        if len(compressed) < 200:
            continue
        chars = list(compressed)
        for _ in range(rng.randint(1, 3)):
            chars[rng.randrange(1, len(chars))] = rng.choice(URI_ALPHABET)
        if rng.random() < 0.3:
            chars = chars[: rng.randrange(150, len(chars))]
        damaged.append("".join(chars))
    assert len(damaged) >= 200
    expected = lz_node("decompress", damaged)
    actual = [decompress_from_encoded_uri_component(text) for text in damaged]
    assert [i for i, (a, e) in enumerate(zip(actual, expected)) if a != e] == []
    assert {type(e) for e in expected} == {str, type(None)}
