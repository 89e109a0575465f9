"""Nominator (推荐材料助手): prepares award nominations offline."""

__version__ = "0.1.0"
APP_NAME = "推荐材料助手"
