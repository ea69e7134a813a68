"""`python -m gateway`: serve on GATEWAY_HOST:GATEWAY_PORT (127.0.0.1:8080 by default)."""

from __future__ import annotations

import logging

from aiohttp import web

from appeal import db
from gateway.app import RedactingAccessLogger, make_app
from gateway.config import GatewayConfig


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    db.engine()  # migrate and seed before the first request, not during it
    config = GatewayConfig.from_environment()
    web.run_app(
        make_app(config),
        host=config.host,
        port=config.port,
        access_log_class=RedactingAccessLogger,
        print=None,
    )


if __name__ == "__main__":
    main()
