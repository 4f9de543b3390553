"""CloudTower Python SDK: a client of the SmartX CloudTower API.

    from cloudtower import ApiClient, Configuration, VmApi
    from cloudtower.utils import login

    client = ApiClient(Configuration(host="http://tower.example.com/v2/api"))
    login(client, "root", "password")
    vms = VmApi(client).get_vms({"where": {"name_contains": "web"}, "first": 10})

Every Api class, model and enum can be imported from the package root; each is loaded only when
first used, so importing the package stays cheap.
"""
from __future__ import absolute_import

from cloudtower import _lazy

__version__ = "2.23.0"

_lazy.install(__name__, {
    "ActivePassiveApiClient": "cloudtower.active_passive_client",
    "FailoverStrategy": "cloudtower.active_passive_client",
    "ActivePassiveException": "cloudtower.exceptions",
    "ActivePassiveNoEndpoints": "cloudtower.exceptions",
    "ActivePassiveDuplicateHost": "cloudtower.exceptions",
    "ActivePassiveNoActiveHost": "cloudtower.exceptions",
    "ActivePassiveMultipleActives": "cloudtower.exceptions",
    "ActivePassiveRetryExhausted": "cloudtower.exceptions",
    "ActivePassiveFailoverRequired": "cloudtower.exceptions",
    "ActivePassiveUnknownHost": "cloudtower.exceptions",
    "ApiClient": "cloudtower.api_client",
    "Configuration": "cloudtower.configuration",
    "OpenApiException": "cloudtower.exceptions",
    "ApiAttributeError": "cloudtower.exceptions",
    "ApiTypeError": "cloudtower.exceptions",
    "ApiValueError": "cloudtower.exceptions",
    "ApiKeyError": "cloudtower.exceptions",
    "ApiException": "cloudtower.exceptions",
    "BadRequestException": "cloudtower.exceptions",
    "ResourceLockedException": "cloudtower.exceptions",
    "UnauthorizedException": "cloudtower.exceptions",
    "ForbiddenException": "cloudtower.exceptions",
    "NotFoundException": "cloudtower.exceptions",
    "ServiceException": "cloudtower.exceptions",
    "TaskFailedException": "cloudtower.exceptions",
    "TaskTimeoutException": "cloudtower.exceptions",
    "TaskNotFoundException": "cloudtower.exceptions",
    "ApiConnectionError": "cloudtower.exceptions",
    "ApiTimeoutError": "cloudtower.exceptions",
    "ApiTLSError": "cloudtower.exceptions",
    "ApiResponseError": "cloudtower.exceptions",
    "InvalidRequestTypeError": "cloudtower.exceptions",
    "InvalidRequestValueError": "cloudtower.exceptions",
    "RetryPolicy": "cloudtower.retry",
    "active_passive_client": "cloudtower.active_passive_client",
    "api": "cloudtower.api",
    "api_client": "cloudtower.api_client",
    "configuration": "cloudtower.configuration",
    "exceptions": "cloudtower.exceptions",
    "model": "cloudtower.model",
    "models": "cloudtower.models",
    "rest": "cloudtower.rest",
    "retry": "cloudtower.retry",
    "utils": "cloudtower.utils",
}, delegates=("cloudtower.api", "cloudtower.models"))
