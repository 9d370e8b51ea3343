"""Train the linkage model on the synthetic population and write `model/splink_model.json`.

    python manage.py linkage_train [--people 20000] [--seed 2026]

Run offline, by a developer, when the comparisons change; the JSON it writes is committed and read
at run time (nothing is trained in production). Deterministic for a seed.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from joinedup.linkage import engine, synthetic


class Command(BaseCommand):
    help = "Train the duplicate-detection model on the synthetic population (offline)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--people", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--output", default=str(engine.MODEL_PATH), help="where to write the model JSON")

    def handle(self, *args, **options) -> None:
        records = [engine.record_from_synth(r) for r in synthetic.population(options["people"], seed=options["seed"])]
        model = engine.train(records, seed=options["seed"])
        model["joinedup"] = {"trained_on": "synthetic", "people": options["people"], "seed": options["seed"]}
        output = Path(options["output"])
        output.write_text(json.dumps(model, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {output} from {len(records)} synthetic records")
