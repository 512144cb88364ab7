"""Builds rfscore's C glue against an installed librfscore (pkg-config rfscore):
    PKG_CONFIG_PATH=PREFIX/lib/pkgconfig pip install --no-build-isolation ."""
from setuptools import setup

setup(
    name="rfscore",
    version="0.1.0",
    description="Score reflective-functioning and attachment questionnaires (librfscore bindings)",
    packages=["rfscore"],
    python_requires=">=3.9",
    install_requires=["cffi>=1.15", "pandas>=1.5", "numpy"],
    setup_requires=["cffi>=1.15"],
    cffi_modules=["rfscore/_build.py:ffibuilder"],
    zip_safe=False,
)
