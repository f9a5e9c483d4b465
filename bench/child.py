"""Entry point of the benchmark's child processes: `python -m bench.child <phase> <JSON options>`.

Prints one JSON line with the phase's result; the parent reads it and the child's peak RSS."""

from __future__ import annotations

import json
import logging
import sys


def main(argv: list[str]) -> int:
    from bench import app, qa_scale, scale

    phases = {"app.build": app.child_build, "app.load": app.child_load, "app.warm": app.child_warm,
              "scale.embed": scale.child_embed,
              "scale.build": scale.child_build, "scale.query": scale.child_query,
              "scale.truth": scale.child_truth,
              "qa_scale.build": qa_scale.child_build, "qa_scale.ask": qa_scale.child_ask}
    logging.basicConfig(level=logging.WARNING)
    result = phases[argv[0]](**json.loads(argv[1]))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
