"""The demo city: `baro demo` loads a Hà Nội-like city through the real service commands."""

from baro.demo.loader import DEMO_PASSWORD, load_demo

__all__ = ["DEMO_PASSWORD", "load_demo"]
