"""Run the fake provider on its own: ``python -m payment_adapters.fake --port 8099``."""
from __future__ import annotations

import argparse
import os
import threading

from . import start_embedded_provider


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    args = parser.parse_args()
    fake = start_embedded_provider(os.environ, args.host, args.port)
    print(f"fake payment provider on {fake.base_url} (Ctrl-C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
