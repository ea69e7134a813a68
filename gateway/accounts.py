"""Advocate accounts for the console: `python -m gateway.accounts add|password|disable|enable|list`.

`first-run` (called by `make run`) makes one account when there is none, with a random
password written to var/first-advocate.txt (owner-only) and printed once, so a new install can
sign in at once and nobody ships a default password.
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
from pathlib import Path

from appeal import handoff_store

FIRST_ACCOUNT_FILE = Path(__file__).resolve().parent.parent / "var" / "first-advocate.txt"
FIRST_USERNAME = "advocate"


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (10 characters or more): ")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("The two passwords differ.")
    return first


def first_run() -> None:
    if handoff_store.advocate_count():
        return
    password = secrets.token_urlsafe(12)
    handoff_store.add_advocate(FIRST_USERNAME, "Advocate", password)
    FIRST_ACCOUNT_FILE.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(FIRST_ACCOUNT_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as note:
        note.write(f"username: {FIRST_USERNAME}\npassword: {password}\n")
    print(
        f"Created the first advocate account: username {FIRST_USERNAME}, password {password}\n"
        "(also in var/first-advocate.txt; change it with "
        f"`.venv/bin/python -m gateway.accounts password {FIRST_USERNAME}`)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway.accounts", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add an advocate")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the name members see, e.g. Maria")
    for command in (add, commands.add_parser("password", help="set a new password")):
        command.add_argument("--password-stdin", action="store_true")
    commands.choices["password"].add_argument("username")
    for name in ("disable", "enable"):
        commands.add_parser(name, help=f"{name} an account").add_argument("username")
    commands.add_parser("list", help="list accounts")
    commands.add_parser("first-run", help="make the first account if there is none")
    args = parser.parse_args(argv)
    try:
        if args.command == "add":
            handoff_store.add_advocate(args.username, args.name, _password(args))
        elif args.command == "password":
            if not handoff_store.set_password(args.username, _password(args)):
                raise SystemExit(f"No account {args.username!r}.")
        elif args.command in ("disable", "enable"):
            if not handoff_store.set_active(args.username, args.command == "enable"):
                raise SystemExit(f"No account {args.username!r}.")
        elif args.command == "list":
            for advocate, active in handoff_store.list_advocates():
                print(f"{advocate.username}\t{advocate.name}\t{'active' if active else 'disabled'}")
        else:
            first_run()
    except ValueError as error:
        raise SystemExit(str(error)) from error


if __name__ == "__main__":
    main()
