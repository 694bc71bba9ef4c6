"""YAML reading for untrusted documents: safe types only, no aliases, no duplicate keys, bounded depth.

Parsing is libyaml's (PyYAML's C loader) when the installed PyYAML has it, and PyYAML's pure
Python loader otherwise: both build the same nodes, and the same checks run on those nodes
before any value is built, so both refuse the same documents with the same messages. The
pure loader is several times slower (a 2 MB document takes it ten seconds).

- Aliases are refused because a few lines of them expand into a structure too large to walk
  (the "billion laughs" document); nothing pmmhub reads needs them.
- A key given twice in one mapping is refused: YAML would keep the last silently.
- Nesting is at most MAX_DEPTH levels (pmmhub's documents use five or six).
- Plain numbers and booleans as YAML 1.2 writes them, not 1.1: `1:30` is text (1.1 reads 90,
  sexagesimal), `010` is ten (not octal 8), `0x10`, `1_0` and `1e3` are text, and only
  true/false are booleans (1.1 turns a role named "No" or a cell "y" into one), and
  `2026-11-25` is text, not a date. A number in
  an unusual form is then refused by the field that wanted a number, instead of read wrong.
"""

import re

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

MAX_DEPTH = 20
# Values (texts, numbers, lists, mappings) in one document: a real workspace document of
# 5,000 activities holds about 200,000. Counted as they are parsed, so a document of millions
# of tiny values stops early instead of being built in full.
MAX_VALUES = 250_000


class DocumentError(ValueError):
    """The text is not a readable YAML document; the message says where and why."""


class _CheckedNodes:
    """Counts values as they are parsed; refuses aliases, duplicate keys and deep nesting in the
    composed nodes before any value is built (the walk is iterative: no recursion to overflow)."""

    values = 0

    def descend_resolver(self, current_node, current_index):
        # Both composers call this before composing each node (tagged or not, alias excepted).
        self.values += 1
        if self.values > MAX_VALUES:
            raise yaml.composer.ComposerError(
                None, None, f"the document holds more than {MAX_VALUES:,} values; refused", None
            )
        return super().descend_resolver(current_node, current_index)

    def construct_document(self, root):
        seen = set()
        pending = [(root, 1)]
        while pending:
            node, depth = pending.pop()
            if node in seen:
                # Only an alias makes the composer hand out one node twice.
                raise _refusal(node, "anchors and aliases (*name) are not allowed")
            seen.add(node)
            if depth > MAX_DEPTH:
                raise _refusal(node, f"nested more than {MAX_DEPTH} levels deep")
            if isinstance(node, SequenceNode):
                pending.extend((item, depth + 1) for item in node.value)
            elif isinstance(node, MappingNode):
                keys = set()
                for key, value in node.value:
                    if isinstance(key, ScalarNode):
                        if (key.tag, key.value) in keys:
                            raise _refusal(key, f"the key {key.value!r} appears twice in this mapping")
                        keys.add((key.tag, key.value))
                    pending.append((key, depth + 1))
                    pending.append((value, depth + 1))
        return super().construct_document(root)


def _refusal(node, problem: str) -> yaml.MarkedYAMLError:
    return yaml.constructor.ConstructorError(None, None, problem, node.start_mark)


_INT, _FLOAT, _BOOL = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"  # YAML 1.2 has none: 2026-11-25 is text
_YAML_1_2 = (
    (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    (_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")),
    (_FLOAT, re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"), list("-+0123456789.")),
)


def _yaml_1_2_scalars(loader):
    """Replace the loader's YAML 1.1 rules for booleans, numbers and dates by YAML 1.2's (core
    schema, without hexadecimal, octal and exponents) and read integers in base ten."""
    loader.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_INT, _FLOAT, _BOOL, _TIMESTAMP)]
        for first, resolvers in loader.yaml_implicit_resolvers.items()
    }
    for tag, pattern, first in _YAML_1_2:
        loader.add_implicit_resolver(tag, pattern, first)
    loader.add_constructor(_INT, lambda self, node: int(self.construct_scalar(node), 10))
    return loader


@_yaml_1_2_scalars
class PurePythonLoader(_CheckedNodes, yaml.SafeLoader):
    pass


if yaml.__with_libyaml__:

    @_yaml_1_2_scalars
    class LibyamlLoader(_CheckedNodes, yaml.CSafeLoader):
        pass

    LOADERS = (LibyamlLoader, PurePythonLoader)
else:  # pragma: no cover - the pinned PyYAML wheels include libyaml
    LOADERS = (PurePythonLoader,)
Loader = LOADERS[0]


def decode_text(data: bytes, *, limit: int) -> str:
    """Bytes to text, refusing what is too large or not UTF-8 (a BOM is accepted)."""
    if len(data) > limit:
        raise DocumentError(f"the file is {len(data):,} bytes; the limit is {limit:,}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(
            f"the file is not UTF-8 text (byte {error.start + 1} cannot be read); "
            "save it as UTF-8 and try again"
        ) from None


def load_yaml(text: str, *, loader=None):
    """Parse one YAML (or JSON) document; DocumentError with line and column on failure.

    `loader` is for tests, which run every check through each of LOADERS.
    """
    if "\x00" in text:
        raise DocumentError("the file contains a NUL byte; it is not a text document")
    try:
        return yaml.load(text, Loader=loader or Loader)  # noqa: S506 - SafeLoader / CSafeLoader subclasses
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise DocumentError(f"{where}{_one_line(error.problem) or error}") from None
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        raise DocumentError(f"not a readable YAML document ({error.__class__.__name__})") from None


def _one_line(problem: str | None) -> str:
    # libyaml's messages can run on over two lines ("exceeded maximum nesting depth").
    return " ".join((problem or "").split())


class _Dumper(yaml.SafeDumper):
    """Quotes a text that YAML 1.1 or 1.2 would read as something else (`089` is text to 1.1
    and a number to 1.2), so what is written reads back the same with either."""


for _tag, _pattern, _first in _YAML_1_2:
    _Dumper.add_implicit_resolver(_tag, _pattern, _first)


def dump_yaml(document) -> str:
    return yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
