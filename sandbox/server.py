"""The project's AWS sandbox: moto's server, plus the AWS behaviours this project depends on that
moto does not model (sandbox/additions/), and middleware around every request (sandbox/middleware/).

Started by scripts/sandbox.mjs with the virtualenv's Python: `server.py --host 127.0.0.1 --port N`.
Each addition is a short module with an install() that patches moto and cites the AWS API
reference it follows; each has a test of its own under test/e2e/sandbox/.
"""

import argparse
import importlib
import os
import sys

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import MotoRequestHandler
from werkzeug.serving import run_simple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from additions import ADDITIONS  # noqa: E402  (needs the path above)
from middleware import MIDDLEWARE  # noqa: E402


def build_app():
    for name in ADDITIONS:
        importlib.import_module(f"additions.{name}").install()
    app = DomainDispatcherApplication(create_backend_app)
    for name in MIDDLEWARE:
        app = importlib.import_module(f"middleware.{name}").wrap(app)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    run_simple(args.host, args.port, build_app(), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
