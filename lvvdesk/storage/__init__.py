"""The encrypted vault: key slots, SQLCipher engine, models, repositories, migrations."""
