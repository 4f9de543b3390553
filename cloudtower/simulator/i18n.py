# -*- coding: utf-8 -*-
"""Texts the simulator answers with, in the two languages of `content-language`."""
from __future__ import absolute_import, unicode_literals

LANGUAGES = ("en-US", "zh-CN")

TEXTS = {
    "not_found": {"en-US": "%(kind)s %(id)s not found", "zh-CN": "未找到%(kind)s %(id)s"},
    "locked": {"en-US": "Resource [%(resources)s] locked", "zh-CN": "资源 [%(resources)s] 已被锁定"},
    "unauthorized": {"en-US": "Unauthorized: a valid token is required in the Authorization header",
                     "zh-CN": "未授权:Authorization 请求头中需要有效的令牌"},
    "login_failed": {"en-US": "Invalid username or password", "zh-CN": "用户名或密码错误"},
    "bad_language": {"en-US": "content-language must be en-US or zh-CN, not %(value)s",
                     "zh-CN": "content-language 只能是 en-US 或 zh-CN,不能是 %(value)s"},
    "invalid": {"en-US": "Invalid request body: %(detail)s", "zh-CN": "请求体无效:%(detail)s"},
    "no_operation": {"en-US": "No operation %(path)s", "zh-CN": "没有操作 %(path)s"},
    "bad_json": {"en-US": "The request body is not JSON", "zh-CN": "请求体不是 JSON"},
    "task": {"en-US": "%(operation)s %(name)s", "zh-CN": "%(operation)s %(name)s"},
    "injected": {"en-US": "Injected fault", "zh-CN": "注入的故障"},
}


def text(key, language, **values):
    """The text `key` in `language` (English when there is no translation)."""
    texts = TEXTS[key]
    return texts.get(language, texts["en-US"]) % values
