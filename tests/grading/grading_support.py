"""Helpers of the grading tests. (Not `from conftest import ...`: which
conftest module that finds depends on the order pytest loads them.)"""
import os
import pathlib

REPO = pathlib.Path(__file__).resolve().parents[2]


def netcook_binary():
    return os.environ.get("NETCOOK_BIN", str(REPO / "build" / "bin" / "netcook"))
