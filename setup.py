"""The build step pyproject.toml cannot say: the gettext catalogs (`locales/`, kept at the top
of the checkout for translators and `make extract`) go into the package as
`harmwatch/locales/`, so an installed wheel speaks every shipped language."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithCatalogs(build_py):
    """build_py, plus every `locales/<lang>/LC_MESSAGES/*.po` copied into harmwatch/locales."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "harmwatch" / "locales"
        for po in sorted((ROOT / "locales").glob("*/LC_MESSAGES/*.po")):
            self.copy_file(str(po), str(target / po.relative_to(ROOT / "locales")), preserve_mode=False)

    def copy_file(self, infile, outfile, *args, **kwargs):  # noqa: D102 - creates the folder first
        Path(outfile).parent.mkdir(parents=True, exist_ok=True)
        return super().copy_file(infile, outfile, *args, **kwargs)


setup(cmdclass={"build_py": BuildWithCatalogs})
