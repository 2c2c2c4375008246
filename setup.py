"""Builds the extension glyph._core with the project's CMake (see pyproject.toml)."""
import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    """Configures and builds only the extension target, then copies it into the package."""

    def build_extension(self, ext):
        build_dir = os.path.abspath(os.path.join(self.build_temp, "cmake"))
        subprocess.run(["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                        "-DGLYPH_BUILD_TESTS=OFF", "-DGLYPH_BUILD_TOOLS=OFF", "-DGLYPH_BUILD_BENCH=OFF",
                        "-DGLYPH_BUILD_PYTHON=ON", "-DPython_EXECUTABLE=" + sys.executable], check=True)
        subprocess.run(["cmake", "--build", build_dir, "--target", "glyph_python", "glyph_python_files", "glyph_python_http",
                        "-j", str(os.cpu_count() or 1)], check=True)
        built = os.path.join(build_dir, "python", "glyph")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(glob.glob(os.path.join(built, "_core*.so"))[0], target)
        shutil.copy(os.path.join(built, "config_en.json"), os.path.dirname(target))
        # The HTTP module the judge's requests load, beside the extension where it is looked for.
        shutil.copy(os.path.join(built, "libglyph_http.so"), os.path.dirname(target))


setup(
    packages=["glyph"],
    package_dir={"": "python"},
    package_data={"glyph": ["*.pyi", "py.typed"]},
    ext_modules=[Extension("glyph._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": "build/pip"}},
)
