"""placeholder"""
from __future__ import absolute_import
