"""Packaging of the CloudTower Python SDK (`pip install .`, `python setup.py bdist_wheel`)."""
import io
import os
import re

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def read(*parts):
    with io.open(os.path.join(HERE, *parts), encoding="utf-8") as handle:
        return handle.read()


VERSION = re.search(r'^__version__ = "([^"]+)"', read("cloudtower", "__init__.py"), re.M).group(1)
# The API the generated code speaks: the version of the spec it was generated from.
SPEC_VERSION = re.search(r"^SPEC_VERSION = '([^']+)'", read("cloudtower", "models", "__init__.py"), re.M).group(1)

setup(
    name="cloudtower-sdk",
    version=VERSION,
    description="Python SDK for SmartX CloudTower (API %s)" % SPEC_VERSION,
    long_description=read("README.md"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    packages=find_packages(include=["cloudtower", "cloudtower.*"]),
    package_data={"cloudtower": ["py.typed", "*.pyi", "*/*.pyi"]},
    python_requires=">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*, !=3.5.*",
    install_requires=[
        "urllib3>=1.25.3,<2; python_version < '3'",
        "urllib3>=1.25.3; python_version >= '3'",
        "python-dateutil",
        "certifi",
    ],
    classifiers=[
        "License :: OSI Approved :: Apache Software License",
        "Programming Language :: Python :: 2",
        "Programming Language :: Python :: 2.7",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.6",
        "Programming Language :: Python :: 3.7",
        "Programming Language :: Python :: 3.8",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
    ],
    entry_points={"console_scripts": ["cloudtower = cloudtower.cli:run"]},
    zip_safe=False,
)
