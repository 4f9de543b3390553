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
    "too_deep": {"en-US": "The request body nests deeper than %(limit)s levels",
                 "zh-CN": "请求体的嵌套超过 %(limit)s 层"},
    "task": {"en-US": "%(operation)s %(name)s", "zh-CN": "%(operation)s %(name)s"},
    "injected": {"en-US": "Injected fault", "zh-CN": "注入的故障"},
    "passive": {"en-US": "This CloudTower endpoint is passive: send requests to the active one",
                "zh-CN": "此 CloudTower 节点为备用节点:请将请求发送到主用节点"},
    # VM workflows
    "vm_status": {"en-US": "VM %(name)s is %(status)s; %(operation)s needs it %(allowed)s",
                  "zh-CN": "虚拟机 %(name)s 的状态为 %(status)s,%(operation)s 要求其状态为 %(allowed)s"},
    "vm_in_recycle_bin": {"en-US": "VM %(name)s is in the recycle bin", "zh-CN": "虚拟机 %(name)s 在回收站中"},
    "vm_not_in_recycle_bin": {"en-US": "VM %(name)s is not in the recycle bin",
                              "zh-CN": "虚拟机 %(name)s 不在回收站中"},
    "vm_no_room": {"en-US": "Host %(host)s has %(free)s bytes of free memory; VM %(name)s needs %(memory)s",
                   "zh-CN": "主机 %(host)s 的可用内存为 %(free)s 字节,虚拟机 %(name)s 需要 %(memory)s 字节"},
    "vm_no_host": {"en-US": "No host of cluster %(cluster)s has %(memory)s bytes of free memory for VM "
                            "%(name)s",
                   "zh-CN": "集群 %(cluster)s 中没有可用内存达到 %(memory)s 字节的主机可运行虚拟机 %(name)s"},
    "vm_same_host": {"en-US": "VM %(name)s is on host %(host)s already",
                     "zh-CN": "虚拟机 %(name)s 已在主机 %(host)s 上"},
    "vm_other_cluster": {"en-US": "Host %(host)s is not in the cluster of VM %(name)s",
                         "zh-CN": "主机 %(host)s 不在虚拟机 %(name)s 所在的集群中"},
    "vm_cpu": {"en-US": "vcpu %(vcpu)s must equal cpu_cores * cpu_sockets (%(cores)s * %(sockets)s)",
               "zh-CN": "vcpu %(vcpu)s 必须等于 cpu_cores * cpu_sockets(%(cores)s * %(sockets)s)"},
    "vm_shrink": {"en-US": "The %(what)s of running VM %(name)s cannot shrink from %(old)s to %(new)s; "
                           "shut it down first",
                  "zh-CN": "运行中的虚拟机 %(name)s 的 %(what)s 不能从 %(old)s 减少到 %(new)s,请先关机"},
    "vm_no_item": {"en-US": "VM %(name)s has no %(kind)s %(id)s", "zh-CN": "虚拟机 %(name)s 没有%(kind)s %(id)s"},
    "vm_disk_shrink": {"en-US": "Disk %(id)s of VM %(name)s cannot shrink from %(old)s to %(new)s bytes",
                       "zh-CN": "虚拟机 %(name)s 的磁盘 %(id)s 不能从 %(old)s 字节缩小到 %(new)s 字节"},
    # workflows: storage, uploads, misc
    "exists": {"en-US": "%(kind)s %(name)s already exists", "zh-CN": "%(kind)s %(name)s 已存在"},
    "in_use": {"en-US": "%(kind)s %(name)s is still in use by %(what)s",
               "zh-CN": "%(kind)s %(name)s 仍被 %(what)s 使用"},
    "not_related": {"en-US": "%(kind)s %(id)s does not belong to %(owner)s %(owner_id)s",
                    "zh-CN": "%(kind)s %(id)s 不属于 %(owner)s %(owner_id)s"},
    "shrink": {"en-US": "%(kind)s %(name)s cannot shrink from %(old)s to %(new)s bytes",
               "zh-CN": "%(kind)s %(name)s 不能从 %(old)s 字节缩小到 %(new)s 字节"},
    "bad_field": {"en-US": "Form field %(field)s is missing or invalid: %(value)r",
                  "zh-CN": "表单字段 %(field)s 缺失或无效:%(value)r"},
    "chunk_size": {"en-US": "Chunk %(index)s of upload task %(id)s has %(got)s bytes; it must have "
                            "%(expected)s (chunk_size %(chunk_size)s, the last chunk what remains)",
                   "zh-CN": "上传任务 %(id)s 的第 %(index)s 块有 %(got)s 字节,应为 %(expected)s 字节"
                            "(chunk_size 为 %(chunk_size)s,最后一块为剩余字节)"},
    "upload_ended": {"en-US": "Upload task %(id)s is %(state)s and takes no more chunks",
                     "zh-CN": "上传任务 %(id)s 状态为 %(state)s,不再接受数据块"},
    "upload_lost": {"en-US": "Upload task %(id)s lost its received data when the simulator restarted; "
                             "upload again",
                    "zh-CN": "模拟器重启后上传任务 %(id)s 已收到的数据丢失,请重新上传"},
    "empty": {"en-US": "%(field)s must not be empty", "zh-CN": "%(field)s 不能为空"},
    "delete_self": {"en-US": "A user cannot delete themselves", "zh-CN": "用户不能删除自己"},
}


def text(key, language, **values):
    """The text `key` in `language` (English when there is no translation)."""
    texts = TEXTS[key]
    return texts.get(language, texts["en-US"]) % values
