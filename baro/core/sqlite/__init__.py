"""Django's SQLite backend with Baro's SQL functions on every connection (ENGINE
"baro.core.sqlite", chosen by baro.settings for the embedded default)."""
