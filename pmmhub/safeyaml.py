"""YAML reading for untrusted documents: safe types only, no anchors or aliases.

Aliases are refused because a few lines of them expand into a structure too large to walk
(the "billion laughs" document); nothing pmmhub reads needs them.
"""

import yaml


class DocumentError(ValueError):
    """The text is not a readable YAML document; the message says where and why."""


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


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


def load_yaml(text: str):
    """Parse one YAML (or JSON) document; DocumentError with line and column on failure."""
    if "\x00" in text:
        raise DocumentError("the file contains a NUL byte; it is not a text document")
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise DocumentError(f"{where}{error.problem or error}") from None
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        raise DocumentError(f"not a readable YAML document ({error.__class__.__name__})") from None


def dump_yaml(document) -> str:
    return yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
