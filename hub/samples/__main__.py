"""``python -m hub.samples --out DIR [--seed 2026]``."""
from hub.samples.build import main

main()
