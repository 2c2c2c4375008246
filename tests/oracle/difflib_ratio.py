#!/usr/bin/python3
"""The oracle for glyph's SequenceMatcher: Python's own difflib.

Reads JSON lines {"a": ..., "b": ...} from the file given, prints repr() of
difflib.SequenceMatcher(None, a, b).ratio() per line (exactly, as a float literal).
"""
import difflib
import json
import sys

with open(sys.argv[1], encoding='utf-8') as f:
    for line in f:
        case = json.loads(line)
        print(repr(difflib.SequenceMatcher(None, case['a'], case['b']).ratio()))
