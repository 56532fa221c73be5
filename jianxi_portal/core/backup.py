"""Backup and restore of the PostgreSQL database (SECURITY.md, item 8; GB/T 22239-2019 §8.1.4.9:
data backup and restore), with pg_dump's custom format:

    make backup                                  # -> backups/jianxi-YYYYmmdd-HHMMSS.dump
    make restore FILE=backups/….dump DB=jianxi_restored

`fingerprints()` gives each table's row count and an MD5 of its rows in a fixed order, so a
restore can be compared table by table with its source (the test does)."""

import os
import subprocess
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg2 import sql


class BackupError(Exception):
    pass


def _database() -> dict:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("备份与恢复需要 PostgreSQL（请设置 DATABASE_URL=postgres://…）。")
    return db


def _env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _args(db: dict) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return args


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[-2000:]}")


def default_path() -> Path:
    return Path(settings.BASE_DIR) / "backups" / f"jianxi-{timezone.localtime():%Y%m%d-%H%M%S}.dump"


def dump(path: Path | None = None, *, database: str | None = None, plain: bool = False) -> Path:
    """pg_dump -Fc of the configured database (or `database` on the same server) to `path`;
    `plain`: an SQL text dump (-Fp) instead, e.g. to search it for plaintext personal values."""
    db = _database()
    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    _run(
        [
            "pg_dump",
            "-Fp" if plain else "-Fc",
            "--no-owner",
            "--no-privileges",
            *_args(db),
            "-f",
            str(path),
            database or db["NAME"],
        ],
        _env(db),
    )
    return path


def restore(path: Path, *, target: str, replace: bool = False) -> None:
    """Create database `target` on the same server and pg_restore `path` into it. An existing
    `target` is refused unless `replace` (then dropped first); the configured database never is."""
    db = _database()
    if target == db["NAME"]:
        raise BackupError("不能恢复到当前正在使用的数据库，请指定一个新的数据库名。")
    with _server(db) as cursor:
        if replace:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target)))
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target])
        if cursor.fetchone():
            raise BackupError(f"数据库 {target} 已存在；如确需覆盖，请加 --replace。")
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
    _run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *_args(db), "-d", target, str(path)],
        _env(db),
    )


def drop(target: str) -> None:
    db = _database()
    if target == db["NAME"]:
        raise BackupError("不能删除当前正在使用的数据库。")
    with _server(db) as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target)))


class _server:
    """An autocommit connection to the server's maintenance database (CREATE/DROP DATABASE)."""

    def __init__(self, db: dict):
        self.db = db

    def __enter__(self):
        self.conn = _connect(self.db, "postgres")
        self.conn.autocommit = True
        return self.conn.cursor()

    def __exit__(self, *exc):
        self.conn.close()


def _connect(db: dict, name: str):
    return psycopg2.connect(
        dbname=name,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
    )


def fingerprints(name: str | None = None) -> dict[str, tuple[int, str]]:
    """{table: (row count, md5 of its rows sorted as text)} for every table of the public schema."""
    db = _database()
    conn = _connect(db, name or db["NAME"])
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [row[0] for row in cursor.fetchall()]
            result = {}
            for table in tables:
                cursor.execute(
                    sql.SQL(
                        "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM {} t"
                    ).format(sql.Identifier(table))
                )
                count, digest = cursor.fetchone()
                result[table] = (count, digest)
            return result
    finally:
        conn.close()
