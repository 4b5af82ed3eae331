"""The service's settings: flags over environment variables over defaults, checked before it starts.

Worker processes (uvicorn's ``--workers``) build their app from the environment, so the parent writes the
settings it was given there (``to_env``)."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, fields, replace
from typing import Mapping, Optional


class SettingsError(ValueError):
    """A setting the service cannot start with; the message names the setting, never a secret."""


_ENV = {"host": "BILLFACTS_HOST", "port": "BILLFACTS_PORT", "workers": "BILLFACTS_WORKERS",
        "token": "BILLFACTS_TOKEN", "max_body_bytes": "BILLFACTS_MAX_BODY_BYTES", "max_batch": "BILLFACTS_MAX_BATCH",
        "time_limit": "BILLFACTS_TIME_LIMIT", "cors_origins": "BILLFACTS_CORS_ORIGINS",
        "log_level": "BILLFACTS_LOG_LEVEL"}


@dataclass(frozen=True)
class ServiceSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1  # analysis processes (1: a thread in the server process)
    token: Optional[str] = None  # required whenever the host is not loopback
    max_body_bytes: int = 1_000_000  # a request body past this gets 413
    max_batch: int = 100  # notes per /v1/analyze/batch request
    time_limit: float = 30.0  # seconds per request; past it 504
    cors_origins: tuple[str, ...] = ()  # no CORS unless origins are given
    log_level: str = "info"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "ServiceSettings":
        values = {}
        for field in fields(cls):
            raw = environ.get(_ENV[field.name])
            if raw is None or raw == "":
                continue
            values[field.name] = _parse(field.name, raw)
        return cls(**values)

    def with_flags(self, **flags) -> "ServiceSettings":
        """These settings with every flag that was given (None: not given) in place."""
        given = {name: value for name, value in flags.items() if value is not None}
        if "cors_origins" in given:
            given["cors_origins"] = tuple(given["cors_origins"])
        return replace(self, **given)

    def check(self) -> "ServiceSettings":
        if not self.token and not is_loopback(self.host):
            raise SettingsError(f"refusing to listen on {self.host} without a bearer token: set --token or "
                                "BILLFACTS_TOKEN (only a loopback address may run without one)")
        for name in ("port", "workers", "max_body_bytes", "max_batch"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be at least 1")
        if self.time_limit <= 0:
            raise SettingsError("time_limit must be more than 0 seconds")
        return self

    def to_env(self) -> dict[str, str]:
        env = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is None:
                continue
            env[_ENV[field.name]] = ",".join(value) if isinstance(value, tuple) else str(value)
        return env


def _parse(name: str, raw: str):
    try:
        if name in ("port", "workers", "max_body_bytes", "max_batch"):
            return int(raw)
        if name == "time_limit":
            return float(raw)
    except ValueError:
        raise SettingsError(f"{_ENV[name]} must be a number") from None
    if name == "cors_origins":
        return tuple(origin.strip() for origin in raw.split(",") if origin.strip())
    return raw


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
