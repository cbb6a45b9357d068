"""An import-linter contract the built-in ones cannot say: "a package's insides are its own".

Each listed package may be imported from outside only through its public modules (for a domain:
``queries``, ``commands``, ``events`` and ``errors``); its models, rules, services and handlers are
its own business. The edge and the composition root, which call services and wire handlers, are
the allowed importers. See ``[tool.importlinter]`` in ``pyproject.toml`` and ADR 0007.
"""

from __future__ import annotations

from dataclasses import dataclass

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils


@dataclass(frozen=True)
class Reach:
    importer: str
    imported: str
    line_numbers: tuple[int, ...]


class PublicSurfaceContract(Contract):
    type_name = "public_surface"

    packages = fields.ListField(subfield=fields.ModuleField())
    public = fields.ListField(subfield=fields.StringField())
    allowed_importers = fields.ListField(subfield=fields.ModuleField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=contract_utils.AlertLevel.ERROR,
        )
        packages = [m.name for m in self.packages]  # type: ignore[attr-defined]
        allowed = [m.name for m in self.allowed_importers]  # type: ignore[attr-defined]
        public = set(self.public)  # type: ignore[call-overload]
        reaches = [
            Reach(importer, module, _lines(graph, importer, module))
            for package in packages
            for module in sorted(graph.find_descendants(package))
            if module[len(package) + 1 :].split(".")[0] not in public
            for importer in sorted(graph.find_modules_that_directly_import(module))
            if not _within(importer, [package, *allowed])
        ]
        return ContractCheck(
            kept=not reaches,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"reaches": reaches},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Imports of another package's insides:", bold=False)
        output.new_line()
        for reach in check.metadata["reaches"]:
            lines = ", ".join(map(str, reach.line_numbers))
            output.print_error(f"- {reach.importer} -> {reach.imported} (l.{lines})", bold=False)
        output.new_line()


def _within(module: str, packages: list[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _lines(graph: grimp.ImportGraph, importer: str, imported: str) -> tuple[int, ...]:
    details = graph.get_import_details(importer=importer, imported=imported)
    return tuple(detail["line_number"] for detail in details)
