"""Create or migrate the database and load the directory, before any server starts.

Run by `make run` and `make test`, so the servers never race to seed the same database.
"""

from __future__ import annotations

from appeal import db
from appeal.directory_store import confidence_counts


def main() -> None:
    engine = db.engine()
    counts = confidence_counts()
    print(
        f"Database ready ({engine.dialect.name}, schema version {db.MIGRATIONS[-1][0]}): "
        f"{sum(counts.values())} directory numbers."
    )


if __name__ == "__main__":
    main()
