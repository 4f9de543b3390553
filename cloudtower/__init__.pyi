# Types of the package root, for type checkers and editors (never imported at run time).
# The root exports every Api class, model and enum, the client, its configuration and the
# exceptions; at run time each is imported on first use (see cloudtower/_lazy.py).
from cloudtower import active_passive_client as active_passive_client
from cloudtower import api as api
from cloudtower import api_client as api_client
from cloudtower import configuration as configuration
from cloudtower import exceptions as exceptions
from cloudtower import model as model
from cloudtower import models as models
from cloudtower import rest as rest
from cloudtower import retry as retry
from cloudtower import utils as utils
from cloudtower.api import *
from cloudtower.active_passive_client import ActivePassiveApiClient as ActivePassiveApiClient
from cloudtower.active_passive_client import FailoverStrategy as FailoverStrategy
from cloudtower.api_client import ApiClient as ApiClient
from cloudtower.configuration import Configuration as Configuration
from cloudtower.exceptions import ActivePassiveDuplicateHost as ActivePassiveDuplicateHost
from cloudtower.exceptions import ActivePassiveException as ActivePassiveException
from cloudtower.exceptions import ActivePassiveFailoverRequired as ActivePassiveFailoverRequired
from cloudtower.exceptions import ActivePassiveMultipleActives as ActivePassiveMultipleActives
from cloudtower.exceptions import ActivePassiveNoActiveHost as ActivePassiveNoActiveHost
from cloudtower.exceptions import ActivePassiveNoEndpoints as ActivePassiveNoEndpoints
from cloudtower.exceptions import ActivePassiveRetryExhausted as ActivePassiveRetryExhausted
from cloudtower.exceptions import ActivePassiveUnknownHost as ActivePassiveUnknownHost
from cloudtower.exceptions import ApiAttributeError as ApiAttributeError
from cloudtower.exceptions import ApiConnectionError as ApiConnectionError
from cloudtower.exceptions import ApiException as ApiException
from cloudtower.exceptions import ApiKeyError as ApiKeyError
from cloudtower.exceptions import ApiResponseError as ApiResponseError
from cloudtower.exceptions import ApiTimeoutError as ApiTimeoutError
from cloudtower.exceptions import ApiTLSError as ApiTLSError
from cloudtower.exceptions import ApiTypeError as ApiTypeError
from cloudtower.exceptions import ApiValueError as ApiValueError
from cloudtower.exceptions import BadRequestException as BadRequestException
from cloudtower.exceptions import ForbiddenException as ForbiddenException
from cloudtower.exceptions import InvalidRequestTypeError as InvalidRequestTypeError
from cloudtower.exceptions import InvalidRequestValueError as InvalidRequestValueError
from cloudtower.exceptions import NotFoundException as NotFoundException
from cloudtower.exceptions import OpenApiException as OpenApiException
from cloudtower.exceptions import ResourceLockedException as ResourceLockedException
from cloudtower.exceptions import ServiceException as ServiceException
from cloudtower.exceptions import TaskFailedException as TaskFailedException
from cloudtower.exceptions import TaskNotFoundException as TaskNotFoundException
from cloudtower.exceptions import TaskTimeoutException as TaskTimeoutException
from cloudtower.exceptions import UnauthorizedException as UnauthorizedException
from cloudtower.models import *
from cloudtower.retry import RetryPolicy as RetryPolicy

__version__: str
