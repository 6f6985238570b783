"""Columnar CIN census reading: the whole file tokenised and placed by polars, with no Python per element.

Why: walking 20 million elements in Python took ~3.3 s per 100,000 children. Here the file is split into
tokens by polars' multi-threaded CSV reader (``<`` as the row end, ``>`` as the field separator, so each
row is ``tag>text``), while libxml2 checks in another thread that the file is well-formed XML. Each element's
place in the schema is then found with cumulative sums and forward fills over the tokens:

* depth = opening tags minus closing tags before the token;
* parent = the latest opening tag one level up (a forward fill per level: valid files are 7 levels deep);
* an element is *placed* if its (name, parent) pair is in the schema and every ancestor is placed;
* a row of a table is a placed row element; a value belongs to the latest row of its table (a cumulative
  count), which is its parent because it is placed.

This path takes only files it can read exactly: UTF-8, no comments, CDATA, DOCTYPE, processing
instructions or character references, and no ``>`` inside text. :func:`read_columnar` returns ``None``
for anything else, or for a file libxml2 rejects, and the caller reads it with the streaming reader,
which reports the error with its line.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import polars as pl
from lxml import etree

from outstanding.returns import findings as F
from outstanding.returns.schemas import CIN_CHILD, CIN_TABLES, LINE

# --- the schema as (element, parent) pairs ---------------------------------------------------------------

_ROOT = ""  # the parent of the document element

_ROW_ELEMENTS = {  # element -> its table
    "Header": "Header",
    "ChildIdentifiers": "ChildIdentifiers",
    "ChildCharacteristics": "ChildCharacteristics",
    "CINdetails": "CINdetails",
    "Assessments": "Assessments",
    "CINPlanDates": "CINplanDates",
    "Section47": "Section47",
    "ChildProtectionPlans": "ChildProtectionPlans",
    "PreProceedingsandFGDM": "PreProceedings",  # module 5, from 2026-27
}
# Repeating values that are rows of their own: element -> (table, its parent element)
_MANY = {
    "Disability": ("Disabilities", "Disabilities"),
    "AssessmentFactors": ("AssessmentFactors", "FactorsIdentifiedAtAssessment"),
    "CPPreviewDate": ("Reviews", "Reviews"),
}
_CONTAINERS = {  # element -> its parent, for elements that are neither rows nor values
    "Message": _ROOT,
    "Children": "Message",
    "Child": "Children",
    "CollectionDetails": "Header",
    "Source": "Header",
    "Disabilities": "ChildCharacteristics",
    "FactorsIdentifiedAtAssessment": "Assessments",
    "Reviews": "ChildProtectionPlans",
}
_ROW_PARENT = {
    "Header": "Message",
    "ChildIdentifiers": "Child",
    "ChildCharacteristics": "Child",
    "CINdetails": "Child",
    "Assessments": "CINdetails",
    "CINPlanDates": "CINdetails",
    "Section47": "CINdetails",
    "ChildProtectionPlans": "CINdetails",
    "PreProceedingsandFGDM": "CINdetails",
}
_HEADER_PLACE = {
    "Collection": "CollectionDetails",
    "Year": "CollectionDetails",
    "ReferenceDate": "CollectionDetails",
}
_KEYS = frozenset({"CINdetailsID", "AssessmentID", "CPPID"})
_KEY_SEQS = ("seq_CINdetails", "seq_Assessments", "seq_ChildProtectionPlans")


def _value_places() -> dict[tuple[str, str], tuple[str, str]]:
    """(element, parent) -> (table, field) for every single value."""
    places: dict[tuple[str, str], tuple[str, str]] = {}
    row_element = {table: element for element, table in _ROW_ELEMENTS.items()}
    for table, fields in CIN_TABLES.items():
        if table in ("Disabilities", "AssessmentFactors", "Reviews"):
            continue
        for name in fields:
            if name in _KEYS or (name == CIN_CHILD and table != "ChildIdentifiers"):
                continue
            if table == "Header":
                parent = _HEADER_PLACE.get(name, "Source")
            else:
                parent = row_element[table]
            places[(name, parent)] = (table, name)
    return places


_VALUES = _value_places()
_NAMES: tuple[str, ...] = tuple(
    dict.fromkeys(
        [_ROOT, *_CONTAINERS, *_ROW_ELEMENTS, *_MANY, *(name for name, _ in _VALUES), *_CONTAINERS.values()]
    )
)
_NAME_ID = {name: i for i, name in enumerate(_NAMES)}

# Targets: what a placed element is. 0 = a container; then one per row element, many-value and value.
_TARGETS: list[tuple[str, str, str]] = [("container", "", "")]  # (kind, table, field)
_PAIR_TARGET: dict[tuple[str, str], int] = {}
for _element, _parent in _CONTAINERS.items():
    _PAIR_TARGET[(_element, _parent)] = 0
for _element, _table in _ROW_ELEMENTS.items():
    _PAIR_TARGET[(_element, _ROW_PARENT[_element])] = len(_TARGETS)
    _TARGETS.append(("row", _table, ""))
for _element, (_table, _parent) in _MANY.items():
    _PAIR_TARGET[(_element, _parent)] = len(_TARGETS)
    _TARGETS.append(("many", _table, _element))
for (_element, _parent), (_table, _field) in _VALUES.items():
    _PAIR_TARGET[(_element, _parent)] = len(_TARGETS)
    _TARGETS.append(("value", _table, _field))
_CHILD_TARGET = len(_TARGETS)
_PAIR_TARGET[("Child", "Children")] = _CHILD_TARGET
_TARGETS.append(("child", "", ""))
_ROW_TARGET = {table: i for i, (kind, table, _) in enumerate(_TARGETS) if kind == "row"}
_TABLE_NUMBER = {table: i for i, table in enumerate(_ROW_TARGET)}

# Valid files are at most 7 elements deep (Message/Children/Child/CINdetails/Assessments/Factors…/value).
_LEVELS = 7

_OPEN, _CLOSE, _EMPTY, _DECLARATION = 1, 2, 3, 4
_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_ENTITIES = (["&lt;", "&gt;", "&quot;", "&apos;", "&amp;"], ["<", ">", '"', "'", "&"])


@dataclass
class Columnar:
    """Tables as text (``_line``, the fields, the generated keys) and the reader's problems."""

    frames: dict[str, pl.DataFrame]
    problems: pl.DataFrame
    children: int


def _start(data: bytes) -> int | None:
    """Where the first tag starts, if the file's encoding suits this path; None if it does not."""
    start = data.find(b"<")
    if start < 0 or data[:start].strip(b" \t\r\n"):
        return None  # a byte-order mark other than UTF-8's, or text before the first tag
    match = _ENCODING.match(data, start)
    if match and match.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        return None
    return start


class _WellFormed(threading.Thread):
    """libxml2 checks the whole file in C, with no callbacks, while polars tokenises it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(daemon=True)
        self.data = data
        self.ok = False

    def run(self) -> None:
        parser = etree.XMLParser(
            target=_NoEvents(), huge_tree=True, resolve_entities=False, no_network=True, load_dtd=False
        )
        try:
            step = 1 << 20  # libxml2 is about twice as fast fed in pieces than given 500 MB at once
            for begin in range(0, len(self.data), step):
                parser.feed(self.data[begin : begin + step])
            parser.close()
            self.ok = True
        except etree.XMLSyntaxError:
            self.ok = False


class _NoEvents:
    def close(self) -> None:
        return None


@dataclass
class _Tags:
    """What each distinct tag text is, as look-up Series indexed by the tag's categorical code."""

    kind: pl.Series
    name: pl.Series
    newlines: pl.Series
    names: list[str]
    declarations: int  # distinct tags that are processing instructions or declarations


def _tags(tags: pl.Series) -> _Tags | None:
    unique = tags.unique()
    if unique.len() > 5000:
        return None  # attributes that differ on every element: not a shape this path expects
    codes = unique.to_physical().to_list()
    size = max(codes) + 1
    kind, name, newlines = [0] * size, [0] * size, [0] * size
    extra: dict[str, int] = {}
    declarations = 0
    for code, text in zip(codes, unique.cast(pl.String).to_list(), strict=True):
        raw = text or ""
        if raw.startswith("!"):
            return None  # a comment, CDATA section or DOCTYPE: the streaming reader handles those
        if raw.startswith("?"):
            declarations += 1
            kind[code], local = _DECLARATION, ""
        elif raw.startswith("/"):
            kind[code], local = _CLOSE, raw[1:].strip()
        else:
            kind[code] = _EMPTY if raw.endswith("/") else _OPEN
            body = raw[:-1] if kind[code] == _EMPTY else raw
            parts = body.split(None, 1)
            local = parts[0] if parts else ""
        local = local.rpartition(":")[2]
        name[code] = (
            _NAME_ID[local] if local in _NAME_ID else extra.setdefault(local, len(_NAMES) + len(extra))
        )
        newlines[code] = raw.count("\n")
    return _Tags(
        pl.Series(kind, dtype=pl.Int8),
        pl.Series(name, dtype=pl.Int32),
        pl.Series(newlines, dtype=pl.Int32),
        [*_NAMES, *sorted(extra, key=extra.__getitem__)],
        declarations,
    )


def read_columnar(data: bytes) -> Columnar | None:
    """The file's tables as text, or None if this path cannot read it exactly (see the module doc)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    start = _start(data)
    if start is None:
        return None
    checker = _WellFormed(data)
    checker.start()
    try:
        result = _read(data, start)
    finally:
        checker.join()
    return result if checker.ok else None


def _read(data: bytes, start: int) -> Columnar | None:
    try:
        # A '>' inside text or an attribute makes a third field, which polars refuses: the streaming reader
        # then reads the file.
        tokens = pl.read_csv(
            data[start + 1 :],
            has_header=False,
            separator=">",
            eol_char="<",
            quote_char=None,
            new_columns=["tag", "text"],
            schema={"tag": pl.Categorical, "text": pl.String},
        )
    except (pl.exceptions.ComputeError, pl.exceptions.SchemaError, pl.exceptions.NoDataError):
        return None
    tags = _tags(tokens["tag"])
    if tags is None:
        return None
    codes = tokens["tag"].to_physical()
    kind = tags.kind.gather(codes)
    if tags.declarations and (kind == _DECLARATION).arg_true().to_list() != [0]:
        return None  # a processing instruction after the XML declaration
    text = tokens["text"]
    if text.str.contains("&#", literal=True).any():
        return None  # character references: the streaming reader decodes those
    newlines = text.str.count_matches("\n", literal=True).fill_null(0).cast(pl.Int32)
    if (tags.newlines > 0).any():
        newlines = newlines + tags.newlines.gather(codes)
    first_line = data[:start].count(b"\n") + 1
    frame = pl.DataFrame(
        {"kind": kind, "name": tags.name.gather(codes), "text": text, "nl": newlines}
    ).with_columns(
        pl.when(pl.col("kind") == _OPEN)
        .then(1)
        .when(pl.col("kind") == _CLOSE)
        .then(-1)
        .otherwise(0)
        .cast(pl.Int32)
        .alias("delta")
    )
    del tokens, codes, kind, text, newlines
    opens = frame.select(
        (pl.col("nl").cum_sum() - pl.col("nl") + first_line).alias(LINE),
        (pl.col("delta").cum_sum() - pl.col("delta")).alias("depth"),
        "name",
        "kind",
        "text",
    ).filter(pl.col("kind").is_in([_OPEN, _EMPTY]))
    del frame
    return _place(opens, tags.names)


def _place(opens: pl.DataFrame, names: list[str]) -> Columnar:
    n_names = len(names)
    depth = pl.col("depth")
    # The latest element opened at each level: for an element at depth d, level d-1 holds its parent.
    opens = opens.with_columns(
        pl.when(pl.col("kind") == _OPEN).then(pl.col("text")).alias("text"),
        *[pl.when(depth == d).then(pl.col("name")).forward_fill().alias(f"n{d}") for d in range(_LEVELS)],
    )
    parent = pl.when(depth == 0).then(_NAME_ID[_ROOT])
    for d in range(1, _LEVELS + 1):
        parent = parent.when(depth == d).then(pl.col(f"n{d - 1}"))
    opens = opens.with_columns(parent.otherwise(None).alias("parent"))
    pair_target = [-1] * (n_names * n_names)
    for (element, parent_name), target in _PAIR_TARGET.items():
        pair_target[_NAME_ID[element] * n_names + _NAME_ID[parent_name]] = target
    pairs = (opens["name"].cast(pl.Int64) * n_names + opens["parent"].cast(pl.Int64)).fill_null(0)
    target = pl.Series(pair_target, dtype=pl.Int32).gather(pairs)
    ok = (target >= 0) & opens["parent"].is_not_null()
    opens = opens.with_columns(target.alias("target"), ok.alias("ok"))
    if ok.all():
        # The usual case, a file of known elements each in its place: nothing to propagate.
        opens = opens.with_columns(pl.lit(True).alias("ancestors_ok"))
    else:
        # An element is placed only if every ancestor is: the ok flag of the latest element at each level.
        opens = opens.with_columns(
            [
                pl.when(depth == d).then(pl.col("ok")).forward_fill().alias(f"ok{d}")
                for d in range(_LEVELS + 1)
            ]
        )
        opens = opens.with_columns(
            pl.all_horizontal(
                [pl.when(depth > d).then(pl.col(f"ok{d}")).otherwise(True) for d in range(_LEVELS + 1)]
            ).alias("ancestors_ok")
        ).drop([f"ok{d}" for d in range(_LEVELS + 1)])
    opens = opens.with_columns(
        # Inside a Child: the element two levels below the root is a Child.
        ((depth > 2) & (pl.col("n2") == _NAME_ID["Child"])).alias("in_child"),
        pl.when(pl.col("ok") & pl.col("ancestors_ok")).then(pl.col("target")).otherwise(-1).alias("target"),
    ).drop(*[f"n{d}" for d in range(_LEVELS)], "kind")
    # Each row element is numbered 1, 2, … in its table; a value belongs to the latest row of its table.
    seqs = {table: pl.col("target").eq(t).cum_sum().alias(f"seq_{table}") for table, t in _ROW_TARGET.items()}
    table_of = pl.Series([_TABLE_NUMBER.get(table, -1) for _, table, _ in _TARGETS], dtype=pl.Int8)
    opens = opens.with_columns(
        pl.col("target").eq(_CHILD_TARGET).cum_sum().alias("child"),
        *seqs.values(),
        table_of.gather(opens["target"].clip(0)).alias("table"),
    )
    rowno = pl.lit(None, pl.UInt32)
    for table, number in _TABLE_NUMBER.items():
        rowno = pl.when(pl.col("table") == number).then(pl.col(f"seq_{table}")).otherwise(rowno)
    opens = opens.with_columns(rowno.alias("rowno")).drop(
        [f"seq_{t}" for t in _ROW_TARGET if f"seq_{t}" not in _KEY_SEQS], "table"
    )
    return _tables(opens, names)


def _tables(opens: pl.DataFrame, names: list[str]) -> Columnar:
    unexpected = opens.filter((pl.col("target") < 0) & ~pl.col("ok") & pl.col("ancestors_ok"))
    # Values need only their row and text; rows need their line, child and keys. Split them before
    # partitioning, so each partition moves as few columns as it can.
    is_value = pl.Series([kind == "value" for kind, _, _ in _TARGETS]).gather(opens["target"].clip(0))
    is_value = is_value & (opens["target"] >= 0)
    value_rows = opens.filter(is_value).select("target", "rowno", "text", LINE, "child")
    other_rows = opens.filter(~is_value & (opens["target"] >= 0)).drop(
        "ok", "ancestors_ok", "parent", "depth", "name", "in_child"
    )
    by_target: dict[int, pl.DataFrame] = {}
    for part in (value_rows, other_rows):
        for key, frame in part.partition_by("target", as_dict=True, include_key=False).items():
            by_target[int(key[0])] = frame  # type: ignore[call-overload]
    empty = other_rows.clear()
    problems: list[pl.DataFrame] = []

    def rows_of(target: int) -> pl.DataFrame:
        return by_target.get(target, empty)

    # Each child's id: the LAchildID of its first ChildIdentifiers.
    id_target = _PAIR_TARGET[(CIN_CHILD, "ChildIdentifiers")]
    ids = (
        rows_of(id_target)
        .filter(pl.col("rowno").is_first_distinct())
        .join(
            rows_of(_ROW_TARGET["ChildIdentifiers"]).filter(pl.col("child").is_first_distinct()),
            on="rowno",
            how="semi",
        )
        .select("child", _unescaped("text").str.strip_chars().replace("", None).alias(CIN_CHILD))
    )
    children = rows_of(_CHILD_TARGET)

    def with_child(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(ids, on="child", how="left", maintain_order="left")

    # Values: the first of each field per row; a repeat is a problem and is not read.
    values: dict[str, list[tuple[str, pl.DataFrame]]] = {}
    for target, (kind, table, field) in enumerate(_TARGETS):
        if kind != "value":
            continue
        found = rows_of(target)
        if not found.height:
            continue
        seq = "rowno"
        first = found.get_column(seq).is_first_distinct()
        if not first.all():
            problems.append(
                _problems(
                    with_child(found.filter(~first)),
                    pl.lit(f"{field} appears more than once in {_parent_element(target)}"),
                    table,
                    pl.lit(field),
                )
            )
            found = found.filter(first)
        values.setdefault(table, []).append((field, found.select(seq, _unescaped("text").alias(field))))

    frames: dict[str, pl.DataFrame] = {}
    for table, target in _ROW_TARGET.items():
        seq = "rowno"
        rows = rows_of(target).select(LINE, "child", seq, *_KEY_SEQS)
        if table == "ChildIdentifiers":
            # A Child with no ChildIdentifiers still gets a row (at the Child's line): rule 8500 needs one.
            lacking = children.join(rows, on="child", how="anti")
            if lacking.height:
                problems.append(
                    _problems(
                        lacking, pl.lit("Child has no ChildIdentifiers"), table, pl.lit(""), child=False
                    )
                )
                rows = (
                    pl.concat(
                        [
                            rows.with_columns(pl.lit(0, pl.Int8).alias("_order")),
                            lacking.select(rows.columns).with_columns(pl.lit(1, pl.Int8).alias("_order")),
                        ]
                    )
                    .sort(["child", "_order"], maintain_order=True)
                    .drop("_order")
                )
        frame = rows
        for field, found in values.get(table, []):
            if field == CIN_CHILD:
                continue  # given to every row of the child below
            if frame.height != rows_of(target).height:  # rows were added for children lacking identifiers
                frame = frame.join(found, on=seq, how="left", maintain_order="left")
                continue
            # Rows are numbered 1, 2, … in file order, so a value goes to row seq - 1: a scatter, not a join.
            column = pl.repeat(None, frame.height, dtype=pl.String, eager=True).alias(field)
            frame = frame.with_columns(column.scatter(found[seq] - 1, found[field]))
        frames[table] = _finish(table, frame, with_child)

    for element, (table, parent_name) in _MANY.items():
        rows = rows_of(_PAIR_TARGET[(element, parent_name)]).select(
            LINE, *_KEY_SEQS, "child", _unescaped("text").alias(element)
        )
        frames[table] = _finish(table, rows, with_child)

    if unexpected.height:
        name_text = pl.col("name").replace_strict(dict(enumerate(names)), return_dtype=pl.String)
        parent_text = pl.col("parent").replace_strict(
            {i: n or "the document" for i, n in enumerate(names)}, default="?", return_dtype=pl.String
        )
        problems.append(
            _problems(
                with_child(unexpected).with_columns(
                    pl.when(pl.col("in_child")).then(pl.col(CIN_CHILD)).alias(CIN_CHILD)
                ),
                pl.format("unexpected element {} in {}", name_text, parent_text),
                None,
                name_text,
            )
        )
    return Columnar(frames, F.concat(problems), children.height)


def _unescaped(name: str) -> pl.Expr:
    """Text with XML's five named entities decoded (character references are left to the streaming
    reader)."""
    col = pl.col(name)
    return pl.when(col.str.contains("&", literal=True)).then(col.str.replace_many(*_ENTITIES)).otherwise(col)


def _problems(
    rows: pl.DataFrame, message: pl.Expr, table: str | None, fields: pl.Expr, child: bool = True
) -> pl.DataFrame:
    return rows.select(
        pl.lit(F.READ_CODE).alias("code"),
        pl.lit(F.ERROR).alias("type"),
        message.alias("message"),
        (pl.col(CIN_CHILD) if child else pl.lit(None, pl.String)).alias("child"),
        pl.lit(table, pl.String).alias("table"),
        pl.col(LINE).cast(pl.Int64).alias("row"),
        fields.alias("fields"),
        pl.lit("").alias("values"),
    )


def _parent_element(target: int) -> str:
    for (_element, parent), t in _PAIR_TARGET.items():
        if t == target:
            return parent
    return ""


def _finish(table: str, rows: pl.DataFrame, with_child) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    """The table's text columns in schema order, with ``_line`` and the generated keys."""
    if table != "Header":
        rows = with_child(rows)  # every row carries its child's id, as the file gives it once
    columns: list[pl.Expr] = [pl.col(LINE).cast(pl.Int64)]
    for name in CIN_TABLES[table]:
        if name == "CINdetailsID":
            columns.append(pl.col("seq_CINdetails").cast(pl.Int64).alias(name))
        elif name == "AssessmentID":
            columns.append(pl.col("seq_Assessments").cast(pl.Int64).alias(name))
        elif name == "CPPID":
            columns.append(pl.col("seq_ChildProtectionPlans").cast(pl.Int64).alias(name))
        elif name in rows.columns:
            columns.append(pl.col(name))
        else:
            columns.append(pl.lit(None, pl.String).alias(name))
    return rows.select(columns)
