"""Copy package code into one standalone file: functions, classes and tables with
everything they use, as their own source.

    imports, sections = bundle([main, generated])

Each object is found in its module's source with `ast`: a top-level `def`, `class`
or assignment, together with the statements that add to a table later in the
module (`ACTIVATIONS["softsign"] = ...`). The names a copied statement uses that its
module defines, or imports from the package, are copied too, recursively. Imports
from the standard library and NumPy become import lines; a name from anywhere else
cannot be copied and raises ValueError naming it. Each module's statements keep
their order, and a module comes after the modules it uses.
"""

import ast
import importlib
import importlib.util
import inspect
import sys
from dataclasses import dataclass
from functools import cache

PACKAGE = "nnviz"
THIRD_PARTY = ("numpy",)       # besides the standard library, what a copied file may import


@dataclass(frozen=True)
class Section:
    """The copied statements of one module: `path` (nnviz/engine/reference.py), the
    first sentence of its docstring, and the source text."""

    module: str
    path: str
    doc: str
    text: str


@dataclass(frozen=True)
class _Module:
    name: str
    lines: tuple
    doc: str
    defs: dict       # name -> statements that bind it (or add to it), in source order
    imports: dict    # name -> (module, attribute or None, as-name)


@cache
def _module(name):
    module = importlib.import_module(name)
    source = inspect.getsource(module)
    tree = ast.parse(source)
    defs, imports = {}, {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            defs.setdefault(node.name, []).append(node)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for name in _bound_names(targets):
                defs.setdefault(name, []).append(node)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                imports[local] = (alias.name if alias.asname else local, None, alias.asname)
        elif isinstance(node, ast.ImportFrom):
            source_module = node.module or ""
            if node.level:
                source_module = importlib.util.resolve_name(
                    "." * node.level + source_module, module.__package__)
            for i, alias in enumerate(node.names):
                if source_module.split(".")[0] == PACKAGE and alias.asname \
                        and alias.asname != alias.name:
                    defs.setdefault(alias.asname, []).append(
                        _alias(alias.asname, alias.name, source_module, node, i))
                else:
                    imports[alias.asname or alias.name] = (source_module, alias.name,
                                                           alias.asname)
    paragraph = (ast.get_docstring(tree) or "").strip().split("\n\n")[0]
    sentence = " ".join(paragraph.split()).split(". ")[0].rstrip(".")
    return _Module(name, tuple(source.splitlines()), sentence, defs, imports)


def _alias(name, original, source, node, i):
    """`from nnviz.x import original as name`, copied as the statement `name = original`
    (after x's `original`, which it depends on)."""
    statement = ast.parse(f"{name} = {original}").body[0]
    statement.lineno, statement.end_lineno, statement.col_offset = node.lineno, node.lineno, i
    statement.alias_of = (source, original)
    return statement


def _bound_names(targets):
    """Names an assignment binds: `x = `, `a, b = `, and `TABLE[key] = ` (adds to TABLE)."""
    for t in targets:
        if isinstance(t, ast.Tuple):
            yield from _bound_names(t.elts)
        elif isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
            yield t.value.id
        elif isinstance(t, ast.Name):
            yield t.id


def _used_names(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _locate(obj):
    """(module, name) of a top-level function or class of the package."""
    module, name = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if module is None or name is None or "." in name or "<" in name:
        raise ValueError(f"{obj!r} is not a top-level function or class, so it cannot be copied")
    return module, name


def _resolve(module, name, seen=()):
    """(module, name) where `name`, as `module` uses it, is defined; or ("import", spec)
    for a name imported from outside the package; or None for a builtin or a local."""
    m = _module(module)
    if name in m.defs:
        return module, name
    if name not in m.imports:
        return None
    source, attribute, alias = m.imports[name]
    if source.split(".")[0] != PACKAGE:
        top = source.split(".")[0]
        if top not in sys.stdlib_module_names and top not in THIRD_PARTY:
            raise ValueError(f"{module}.{name} comes from {source}, which a standalone "
                             f"script cannot import (only the standard library and NumPy)")
        return "import", (source, attribute, alias)
    if attribute is None:
        raise ValueError(f"{module} uses {name} as a module ({source}); import the names "
                         "it needs instead")
    if (source, attribute) in seen:
        raise ValueError(f"{source}.{attribute} is imported in a cycle")
    found = _resolve(source, attribute, (*seen, (source, attribute)))
    if found is None:
        raise ValueError(f"{source} has no top-level {attribute} to copy")
    return found


def bundle(objects):
    """(import blocks, [Section]) of the given package functions and classes and
    everything they use; the blocks are the standard library's imports and NumPy's.
    ValueError when something cannot be copied, or when two modules define one name
    differently."""
    statements, imports = {}, set()          # module -> {(line, column): node}
    todo = [_locate(obj) for obj in objects]
    done = set()
    module_deps = {}
    while todo:
        module, name = todo.pop()
        if (module, name) in done:
            continue
        done.add((module, name))
        m = _module(module)
        if name not in m.defs:
            raise ValueError(f"{module} has no top-level {name} to copy")
        for node in m.defs[name]:
            statements.setdefault(module, {})[node.lineno, node.col_offset] = node
            for used in sorted(_used_names(node) - {name}):
                source = getattr(node, "alias_of", None)
                found = _resolve(*source) if source else _resolve(module, used)
                if found is None:
                    continue
                if found[0] == "import":
                    imports.add(found[1])
                    continue
                module_deps.setdefault(module, set()).add(found[0])
                todo.append(found)
    order = _module_order([_locate(obj)[0] for obj in objects], module_deps)
    sections, defined = [], {}
    for module in order:
        m = _module(module)
        texts = []
        for line in sorted(statements[module]):
            node = statements[module][line]
            names = set(_bound_names(node.targets if isinstance(node, ast.Assign) else
                                     [node.target])) if isinstance(node, ast.Assign | ast.AnnAssign) \
                else {node.name}
            if _already_defined(names, node, module, defined):
                continue
            texts.append(_source(m, node))
        sections.append(Section(module, module.replace(".", "/") + ".py", m.doc,
                                _join(texts)))
    clash = {alias or (attribute or source) for source, attribute, alias in imports} & set(defined)
    if clash:
        raise ValueError(f"the copied code defines {sorted(clash)}, which an import also names")
    return _import_lines(imports), sections


def _already_defined(names, node, module, defined):
    """True when another module already gave these names the same definition; ValueError
    when it gave one of them a different one. Records the names otherwise (a module may
    bind a name twice: a table and what is added to it)."""
    dump = ast.dump(node)
    same = False
    for name in names:
        other_module, other_dump = defined.get(name, (module, dump))
        if other_module == module:
            continue
        if other_dump != dump:
            raise ValueError(f"{module} and {other_module} both define {name}, "
                             "differently; a standalone file can hold only one")
        same = True
    if not same:
        for name in names:
            defined.setdefault(name, (module, dump))
    return same


def _module_order(roots, deps):
    """Modules after the modules they use (depth first from the roots, in order)."""
    order, visiting = [], set()

    def visit(module):
        if module in order or module in visiting:
            return
        visiting.add(module)
        for dep in sorted(deps.get(module, ())):
            visit(dep)
        visiting.discard(module)
        order.append(module)

    for module in roots:
        visit(module)
    return order


def _source(m, node):
    """The statement's source lines, with its decorators and the comment lines right above
    (an alias: its assignment)."""
    if hasattr(node, "alias_of"):
        return ast.unparse(node)
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
    while start > 1 and m.lines[start - 2].startswith("#"):
        start -= 1
    return "\n".join(m.lines[start - 1:node.end_lineno])


def _join(texts):
    """Statements two blank lines apart; one-line assignments that follow one another
    stay together."""
    out, previous = "", None
    for text in texts:
        if previous is not None:
            out += "\n" if "\n" not in text and "\n" not in previous else "\n\n\n"
        out += text
        previous = text
    return out


def _import_lines(imports):
    """Import lines in isort's order: standard library (plain imports, then from-imports),
    a blank line, NumPy."""
    groups = {False: ([], {}), True: ([], {})}
    for source, attribute, alias in imports:
        plain, froms = groups[source.split(".")[0] in THIRD_PARTY]
        if attribute is None:
            plain.append(f"import {source}" + (f" as {alias}" if alias else ""))
        else:
            froms.setdefault(source, set()).add(attribute + (f" as {alias}" if alias else ""))
    blocks = []
    for third_party in (False, True):
        plain, froms = groups[third_party]
        lines = sorted(plain) + [f"from {source} import {', '.join(sorted(names))}"
                                 for source, names in sorted(froms.items())]
        if lines:
            blocks.append("\n".join(lines))
    return blocks
