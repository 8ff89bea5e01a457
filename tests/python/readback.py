"""Reads keystone's tables back with pandas and polars, as a researcher would (no options), and
checks each column's type against the schema keystone declares.

Usage: python3 readback.py MANIFEST.json, where the manifest lists each table written in
every format: {"tables": [{"files": {"csv": PATH, "jsonl": PATH, "parquet": PATH, ...},
"columns": [{"name", "type", "nullable"}]}]}. Exits 1 with every mismatch listed.
"""

import gzip
import io
import json
import sys
import warnings

import zstandard

import pandas as pd
import polars as pl

POLARS = {"integer": pl.Int64, "float": pl.Float64, "boolean": pl.Boolean, "string": pl.String}
# numpy kinds pandas may give a column of each type: a null turns integers into floats and
# booleans into objects; a column whose every cell is null reads as floats.
PANDAS_CSV = {"integer": "iuf", "float": "f", "boolean": "bOf", "string": "Oiuf"}
PANDAS_TYPED = {"integer": "iu", "float": "f", "boolean": "b", "string": "O"}
# pandas' read_json guesses types from the values: whole floats (0.0) come back as integers.
PANDAS_JSON = {**PANDAS_TYPED, "float": "fi"}

errors = []


def check(where, frame_columns, columns, ok):
    names = [c["name"] for c in columns]
    if list(frame_columns) != names:
        errors.append(f"{where}: columns {list(frame_columns)}, expected {names}")
        return
    for c in columns:
        problem = ok(c)
        if problem:
            errors.append(f"{where}: column {c['name']} ({c['type']}): {problem}")


def main(manifest):
    # pandas warns when a CSV column's chunks read as different types (a nullable boolean
    # column whose first chunk is all null): a warning, said, not a failure.
    warnings.simplefilter("always", pd.errors.DtypeWarning)
    with open(manifest) as f:
        tables = json.load(f)["tables"]
    for table in tables:
        columns = table["columns"]
        rows = None
        for fmt, path in sorted(table["files"].items()):
            where = path
            encoding = fmt.split(".")[0]
            with open(path, "rb") as f:
                data = f.read()
            if fmt.endswith(".gz"):
                data = gzip.decompress(data)
            elif fmt.endswith(".zst"):
                data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
            path = io.BytesIO(data)
            if encoding == "jsonl" and not data:
                # An empty table is an empty file in JSON lines: no rows, and no columns to type.
                if rows not in (None, 0):
                    errors.append(f"{where}: empty, expected {rows} rows")
                continue
            if encoding == "csv":
                pdf = pd.read_csv(path)
                path.seek(0)
                plf = pl.read_csv(path)
            elif encoding == "jsonl":
                pdf = pd.read_json(path, lines=True)
                path.seek(0)
                plf = pl.read_ndjson(path)
            else:
                pdf = pd.read_parquet(path)
                path.seek(0)
                plf = pl.read_parquet(path)
            if rows is None:
                rows = len(plf)
            if len(plf) != rows or len(pdf) != rows:
                errors.append(f"{where}: {len(plf)} rows in polars, {len(pdf)} in pandas, expected {rows}")

            def pandas_ok(c, kinds):
                if c["name"] not in pdf.columns:
                    return "missing"
                series = pdf[c["name"]]
                if series.isna().all():
                    return None  # no values to type (pandas cannot tell)
                kind = series.dtype.kind
                allowed = kinds[c["type"]]
                if encoding == "jsonl" and c["type"] == "string":
                    allowed = "O"
                if encoding != "csv" and series.isna().any():
                    # A null in an integer or boolean column: pandas falls back to float/object.
                    allowed += {"integer": "f", "boolean": "Of"}.get(c["type"], "")
                return None if kind in allowed else f"pandas reads it as {series.dtype}"

            def polars_ok(c):
                dtype = plf.schema.get(c["name"])
                if dtype is None:
                    return "missing"
                if plf[c["name"]].null_count() == len(plf) and encoding != "parquet":
                    return None  # every cell null: polars cannot tell in text formats
                expected = POLARS[c["type"]]
                if encoding == "csv" and c["type"] == "string" and dtype != pl.String:
                    # A text column whose values all look like numbers (versions "1.0").
                    return None if dtype in (pl.Int64, pl.Float64) else f"polars reads it as {dtype}"
                return None if dtype == expected else f"polars reads it as {dtype}"

            kinds = {"csv": PANDAS_CSV, "jsonl": PANDAS_JSON}.get(encoding, PANDAS_TYPED)
            check(f"{where} (pandas)", pdf.columns, columns, lambda c: pandas_ok(c, kinds))
            check(f"{where} (polars)", plf.columns, columns, polars_ok)
            if encoding == "parquet":
                # Nullability as declared.
                for c in columns:
                    nulls = plf[c["name"]].null_count()
                    if nulls and not c["nullable"]:
                        errors.append(f"{where}: column {c['name']} is not nullable but has {nulls} nulls")
    if errors:
        print("\n".join(errors))
        sys.exit(1)
    print(f"{len(tables)} tables read back with pandas {pd.__version__} and polars {pl.__version__}")


main(sys.argv[1])
